package cn.gov.county.huiqi.engine.timeliness;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The timeliness figures' own tables (issue 14 item 2, {@link ProjectionTables}): kept current by
 * {@link ProjectionHandler} beside the engine's history, created and filled from the history when the engine starts.
 */
@Component
public class TimelinessProjection extends AbstractProcessEnginePlugin {

  private static final Logger LOG = LoggerFactory.getLogger(TimelinessProjection.class);

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null
        ? new ArrayList<>()
        : new ArrayList<>(configuration.getCustomHistoryEventHandlers());
    handlers.add(new ProjectionHandler());
    configuration.setCustomHistoryEventHandlers(handlers); // beside the engine's own history, not instead of it
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    long started = System.nanoTime();
    try {
      rebuild(engine, false);
    } catch (SQLException e) {
      throw new IllegalStateException("无法建立办理时效统计表（HQ_TL_*）：" + e.getMessage(), e);
    }
    LOG.info("办理时效统计表已就绪（{} 毫秒）。", (System.nanoTime() - started) / 1_000_000);
  }

  /** Create the tables if missing; fill them from the history when new, or always when {@code always}. */
  static void rebuild(ProcessEngine engine, boolean always) throws SQLException {
    DataSource dataSource =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
    try (Connection connection = dataSource.getConnection()) {
      ProjectionTables.prepare(connection, always);
    }
  }
}
