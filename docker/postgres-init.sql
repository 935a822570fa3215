-- The engine's database beside the application's (both owned by the huiqi role).
CREATE DATABASE camunda OWNER huiqi;
