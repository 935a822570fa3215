package cn.gov.county.huiqi.engine.cockpit;

import java.util.Set;
import org.camunda.bpm.cockpit.plugin.spi.impl.AbstractCockpitPlugin;

/**
 * The managers' timeliness view in Cockpit (issue 13, item 3): per unit on the dashboard, per step on the process
 * definition's diagram. Registered through {@code META-INF/services/org.camunda.bpm.cockpit.plugin.spi.CockpitPlugin};
 * its browser half is {@code plugin-webapp/huiqi-timeliness/app/plugin.js} (and {@code plugin.css}), served by
 * Cockpit at {@code /camunda/api/cockpit/plugin/huiqi-timeliness/static/app/}.
 *
 * <p>It computes nothing: {@link TimelinessPluginResource} answers with
 * {@link cn.gov.county.huiqi.engine.timeliness.TimelinessFigures}, the class the web UI's dashboard reads too.
 */
public class TimelinessCockpitPlugin extends AbstractCockpitPlugin {

  public static final String ID = "huiqi-timeliness";

  @Override
  public String getId() {
    return ID;
  }

  @Override
  public Set<Class<?>> getResourceClasses() {
    return Set.of(TimelinessPluginRootResource.class);
  }
}
