"""Enterprise accounts of the online window: sign-up and login by unified social credit code."""
