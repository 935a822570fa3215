package cn.gov.county.huiqi.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TimeZone;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.impl.persistence.entity.PropertyEntity;
import org.camunda.bpm.engine.impl.persistence.entity.PropertyManager;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What several engine nodes on one database need, checked before the engine is built, and what this node
 * runs with, in one log line (issue 12; docs/operations.md "Two engine nodes").
 *
 * <p>On a shared database (anything but the embedded H2) the engine refuses to start without the strong
 * (UUID) id generator — ids drawn by two nodes never collide. On any database it refuses an isolation
 * level other than READ COMMITTED: this check replaces Camunda's own ({@code skipIsolationLevelCheck} is
 * set here), whose message advises switching the check off; ours says what to change in the database.
 *
 * <p>The first node on a shared database records its time zone in ACT_GE_PROPERTY ({@value #TIMEZONE});
 * a later node in another zone refuses to start, since the engine reads and writes local times.
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

  /** The zone of the first node on this database; change it here only with every node stopped. */
  static final String TIMEZONE = "huiqi.cluster.timezone";

  private final CamundaBpmProperties properties;

  public ClusterReadiness(CamundaBpmProperties properties) {
    this.properties = properties;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // postInit checks the level itself, with a line naming what to fix (issue 12, "Two engine nodes").
    configuration.setSkipIsolationLevelCheck(true);
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
    if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
      refuse("数据库事务隔离级别为 " + isolationName + "：Camunda 要求 READ_COMMITTED（请把数据库或其用户的 "
          + "default_transaction_isolation 改回 'read committed'，或改连接池的默认隔离级别），流程引擎未启动。");
    }
    JobExecutor jobs = configuration.getJobExecutor();
    LOG.info("引擎节点 {}（主机 {}）：时区 {}，ID 生成器 {}，事务隔离级别 {}，作业执行器{}（锁持有者 {}，锁定时间 {} 毫秒），"
            + "历史清理窗口 {}–{}（并行度 {}），数据库 {}",
        configuration.getHostname(), host(), TimeZone.getDefault().getID(), idGenerator, isolationName,
        properties.getJobExecution().isEnabled() ? "开启" : "关闭", jobs.getLockOwner(), jobs.getLockTimeInMillis(),
        configuration.getHistoryCleanupBatchWindowStartTime(), configuration.getHistoryCleanupBatchWindowEndTime(),
        configuration.getHistoryCleanupDegreeOfParallelism(), configuration.getDatabaseType());
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if ("h2".equals(configuration.getDatabaseType())) {
      return; // embedded: one node
    }
    String zone = TimeZone.getDefault().getID();
    String recorded = recordedZone(configuration, zone);
    if (!zone.equals(recorded)) {
      refuse("本节点时区为 " + zone + "，而此数据库的引擎节点使用 " + recorded + "（ACT_GE_PROPERTY." + TIMEZONE
          + "）：请把 ENGINE_TIMEZONE 设为 " + recorded + "，流程引擎未启动。");
    }
  }

  /** The zone recorded on this database; the first node's own when none was (two first nodes: one after the other). */
  private static String recordedZone(ProcessEngineConfigurationImpl configuration, String zone) {
    Command<String> firstRecords = context -> {
      PropertyManager properties = context.getPropertyManager();
      properties.acquireExclusiveLockForStartup();
      PropertyEntity recorded = properties.findPropertyById(TIMEZONE);
      if (recorded != null) {
        return recorded.getValue();
      }
      properties.insert(new PropertyEntity(TIMEZONE, zone));
      return zone;
    };
    return configuration.getCommandExecutorTxRequired().execute(firstRecords);
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
