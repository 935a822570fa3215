package cn.gov.county.huiqi.engine.cockpit;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginRootResource;

/**
 * {@code /camunda/api/cockpit/plugin/huiqi-timeliness/}: the plugin's assets ({@code static/app/plugin.js}, served
 * by the parent class) and its figures per engine ({@code {engine}/figures}, {@code {engine}/steps}). Cockpit's
 * security filter lets only a logged-in user of that engine reach the figures; whose figures they may read is
 * decided by the engine's authorizations, in the figures' own class.
 */
@Path("plugin/" + TimelinessCockpitPlugin.ID)
public class TimelinessPluginRootResource extends AbstractCockpitPluginRootResource {

  public TimelinessPluginRootResource() {
    super(TimelinessCockpitPlugin.ID);
  }

  @Path("{engine}")
  public TimelinessPluginResource figures(@PathParam("engine") String engineName) {
    return subResource(new TimelinessPluginResource(engineName), engineName);
  }
}
