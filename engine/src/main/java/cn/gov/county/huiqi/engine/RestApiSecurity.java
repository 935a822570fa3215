package cn.gov.county.huiqi.engine;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * HTTP basic authentication on the engine's REST API.
 *
 * <p>The Spring Boot starter leaves {@code /engine-rest} open; Camunda Run registers this same
 * filter. With it every REST call runs as an engine user, so authorizations (candidate groups,
 * who may start the process: R1) apply to the web UI, the workers and the tests alike.
 */
@Configuration
public class RestApiSecurity {

  @Bean
  public FilterRegistrationBean<ProcessEngineAuthenticationFilter> restAuthenticationFilter() {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("camunda-rest-auth");
    registration.addUrlPatterns("/engine-rest/*");
    registration.addInitParameter(
        "authentication-provider", HttpBasicAuthenticationProvider.class.getName());
    registration.setOrder(1);
    return registration;
  }

  /** A task takes only its form's fields, through the REST API and the staff webapps alike. */
  @Bean
  public FilterRegistrationBean<FormFieldGuard> formFieldGuard(ProcessEngine engine) {
    FilterRegistrationBean<FormFieldGuard> registration = new FilterRegistrationBean<>(new FormFieldGuard(engine));
    registration.setName("huiqi-form-field-guard");
    registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
    registration.setOrder(Ordered.LOWEST_PRECEDENCE);
    return registration;
  }
}
