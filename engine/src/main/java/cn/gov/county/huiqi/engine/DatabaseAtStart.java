package cn.gov.county.huiqi.engine;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The engine's database answers before the engine is built (issue 12), so that a database fault reads as
 * one line an operator can act on instead of a page of stack trace.
 *
 * <p>A database that does not answer yet (PostgreSQL still starting, the network) is waited for with
 * backoff (1 s doubling to 30 s) for at most {@code ENGINE_DB_WAIT_SECONDS}; then the engine exits with
 * {@link #EXIT_UNREACHABLE}. Refused credentials and a missing database are configuration: the engine
 * exits at once with {@link #EXIT_MISCONFIGURED}, since starting again would not help. The embedded H2
 * database needs no check.
 */
final class DatabaseAtStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final int EXIT_UNREACHABLE = 1;
  static final int EXIT_MISCONFIGURED = 2;

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseAtStart.class);
  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_SECONDS = 5;

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    Environment environment = context.getEnvironment();
    String url = environment.getProperty("spring.datasource.url", "");
    if (url.startsWith("jdbc:h2:")) {
      return;
    }
    Refusal refusal = check(url, environment);
    if (refusal != null) {
      LOG.error(refusal.line());
      // Exit here rather than throw: Spring Boot would print the exception again with its whole trace.
      System.exit(refusal.exitCode());
    }
  }

  /** Why the engine does not start, in one line, and its exit code. */
  private record Refusal(int exitCode, String line) {
    static Refusal misconfigured(String line) {
      return new Refusal(EXIT_MISCONFIGURED, line);
    }
  }

  /** Null once a connection succeeded; otherwise why the engine does not start. */
  private Refusal check(String url, Environment environment) {
    String shown = withoutPassword(url);
    String user = environment.getProperty("spring.datasource.username", "");
    long waitSeconds;
    try {
      waitSeconds = Long.parseLong(environment.getProperty("huiqi.database-wait-seconds", "300").strip());
    } catch (NumberFormatException notNumber) {
      return Refusal.misconfigured("ENGINE_DB_WAIT_SECONDS 应为秒数（如 300），流程引擎未启动。");
    }
    try {
      DriverManager.getDriver(url);
    } catch (SQLException noDriver) {
      return Refusal.misconfigured(
          "ENGINE_DB_URL=" + shown + " 不是可用的 JDBC 地址（应如 jdbc:postgresql://主机:5432/camunda），流程引擎未启动。");
    }
    Properties login = new Properties();
    login.setProperty("user", user);
    login.setProperty("password", environment.getProperty("spring.datasource.password", ""));
    login.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS)); // PostgreSQL's, in seconds
    login.setProperty("socketTimeout", String.valueOf(2 * CONNECT_TIMEOUT_SECONDS));
    login.setProperty("ApplicationName", "huiqi-engine start check");

    long started = System.nanoTime();
    long deadline = started + Duration.ofSeconds(waitSeconds).toNanos();
    Duration wait = FIRST_WAIT;
    for (int attempt = 1; ; attempt++) {
      SQLException failure;
      try (Connection connection = DriverManager.getConnection(url, login)) {
        if (attempt > 1) {
          long waited = Duration.ofNanos(System.nanoTime() - started).toSeconds();
          LOG.info("数据库 {} 已可连接（等待了 {} 秒），流程引擎继续启动。", shown, waited);
        }
        return null;
      } catch (SQLException refused) {
        failure = refused;
      }
      String state = failure.getSQLState() == null ? "" : failure.getSQLState();
      if ("28P01".equals(state) || "28000".equals(state)) {
        return Refusal.misconfigured("数据库 " + shown + " 拒绝了用户 " + user + " 的登录：请检查 ENGINE_DB_USER 与"
            + " ENGINE_DB_PASSWORD（以及数据库是否允许本机登录，pg_hba.conf），流程引擎未启动。数据库答复：" + failure.getMessage());
      }
      if ("3D000".equals(state)) {
        return Refusal.misconfigured("ENGINE_DB_URL=" + shown + " 指向的数据库不存在：请先在数据库服务器上创建它"
            + "（如 CREATE DATABASE camunda），或改正 ENGINE_DB_URL，流程引擎未启动。");
      }
      if (!notAnsweringYet(state)) {
        return Refusal.misconfigured(
            "无法使用数据库 " + shown + "（SQLState " + state + "）：" + failure.getMessage() + " 流程引擎未启动。");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Refusal(EXIT_UNREACHABLE, "数据库 " + shown + " 在 " + waitSeconds + " 秒内始终无法连接（最后一次："
            + why(failure) + "）：请确认数据库已启动、ENGINE_DB_URL 的主机与端口正确；等待时间可用 ENGINE_DB_WAIT_SECONDS"
            + " 调整。流程引擎退出。");
      }
      Duration pause = wait.compareTo(Duration.ofNanos(left)) < 0 ? wait : Duration.ofNanos(left);
      LOG.warn("数据库 {} 暂时无法连接（{}），{} 秒后重试（最多等待 {} 秒，ENGINE_DB_WAIT_SECONDS）。",
          shown, why(failure), Math.max(1, pause.toSeconds()), waitSeconds);
      sleep(pause);
      wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) < 0 ? wait.multipliedBy(2) : LONGEST_WAIT;
    }
  }

  /** Connection failures (SQLState class 08), a server starting or shutting down, too many connections. */
  private static boolean notAnsweringYet(String state) {
    return state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53");
  }

  private static String why(SQLException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return "连接被拒绝";
      }
      if (cause instanceof SocketTimeoutException) {
        return "连接超时";
      }
      if (cause instanceof UnknownHostException) {
        return "找不到主机 " + cause.getMessage();
      }
    }
    return failure.getMessage();
  }

  /** The URL as the log may show it: a password given in its parameters is masked. */
  static String withoutPassword(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("等待数据库时被中断", interrupted);
    }
  }
}
