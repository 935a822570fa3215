package cn.gov.county.huiqi.engine;

import cn.gov.county.huiqi.engine.timeliness.TimelinessResource;
import jakarta.ws.rs.ApplicationPath;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.stereotype.Component;

/** The engine's REST API plus the project's own resources (the timeliness figures), behind the same login. */
@Component
@ApplicationPath("/engine-rest")
public class EngineRestResources extends CamundaJerseyResourceConfig {

  @Override
  protected void registerAdditionalResources() {
    register(TimelinessResource.class);
  }
}
