package cn.gov.county.huiqi.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TimeZone;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What several engine nodes on one database need, checked before the engine is built, and what this node
 * runs with, in one log line (issue 12; docs/operations.md "Two engine nodes").
 *
 * <p>On a shared database (anything but the embedded H2) the engine refuses to start without the strong
 * (UUID) id generator — ids drawn by two nodes never collide — and on any isolation level but READ
 * COMMITTED, even when Camunda's own check of it was switched off ({@code skipIsolationLevelCheck}).
 * The time zone cannot be checked from one node: the line shows it, so that the nodes can be compared.
 */
@Component
public class ClusterReadiness extends AbstractProcessEnginePlugin {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterReadiness.class);
  private static final Map<Integer, String> ISOLATION_LEVELS = Map.of(
      Connection.TRANSACTION_NONE, "NONE",
      Connection.TRANSACTION_READ_UNCOMMITTED, "READ_UNCOMMITTED",
      Connection.TRANSACTION_READ_COMMITTED, "READ_COMMITTED",
      Connection.TRANSACTION_REPEATABLE_READ, "REPEATABLE_READ",
      Connection.TRANSACTION_SERIALIZABLE, "SERIALIZABLE");

  private final CamundaBpmProperties properties;

  public ClusterReadiness(CamundaBpmProperties properties) {
    this.properties = properties;
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    boolean shared = !"h2".equals(configuration.getDatabaseType());
    String idGenerator = configuration.getIdGenerator().getClass().getSimpleName();
    int isolation = isolationLevel(configuration);
    String isolationName = ISOLATION_LEVELS.getOrDefault(isolation, String.valueOf(isolation));
    if (shared && !(configuration.getIdGenerator() instanceof StrongUuidGenerator)) {
      refuse("ID 生成器为 " + idGenerator + "：多个引擎节点共用一个数据库时必须使用 strong（camunda.bpm.id-generator: strong，"
          + "见 application.yaml），流程引擎未启动。");
    }
    if (shared && isolation != Connection.TRANSACTION_READ_COMMITTED) {
      refuse("数据库事务隔离级别为 " + isolationName + "：Camunda 要求 READ_COMMITTED（请改数据库或连接池的默认隔离级别，"
          + "不要设置 skipIsolationLevelCheck），流程引擎未启动。");
    }
    JobExecutor jobs = configuration.getJobExecutor();
    LOG.info("引擎节点 {}（主机 {}）：时区 {}，ID 生成器 {}，事务隔离级别 {}，作业执行器{}（锁持有者 {}，锁定时间 {} 毫秒），"
            + "历史清理窗口 {}–{}（并行度 {}），数据库 {}",
        configuration.getHostname(), host(), TimeZone.getDefault().getID(), idGenerator, isolationName,
        properties.getJobExecution().isEnabled() ? "开启" : "关闭", jobs.getLockOwner(), jobs.getLockTimeInMillis(),
        configuration.getHistoryCleanupBatchWindowStartTime(), configuration.getHistoryCleanupBatchWindowEndTime(),
        configuration.getHistoryCleanupDegreeOfParallelism(), configuration.getDatabaseType());
  }

  private static int isolationLevel(ProcessEngineConfigurationImpl configuration) {
    try (Connection connection = configuration.getDataSource().getConnection()) {
      return connection.getTransactionIsolation();
    } catch (SQLException unreadable) {
      throw new ProcessEngineException("无法读取数据库的事务隔离级别：" + unreadable.getMessage(), unreadable);
    }
  }

  private static void refuse(String line) {
    LOG.error(line);
    throw new ProcessEngineException(line);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unnamed) {
      return System.getenv().getOrDefault("HOSTNAME", "（主机名未知）");
    }
  }
}
