package cn.gov.county.huiqi.engine;

import java.lang.management.ManagementFactory;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Camunda 7 process engine with its REST API and the staff's web apps. */
@SpringBootApplication
public class EngineApplication {

  static final String DEFAULT_ZONE = "Asia/Shanghai";

  public static void main(String[] args) {
    // Deadlines are China time: the REST API and Tasklist then show them as staff count them. Set before
    // anything reads the clock (the log's timestamps, the history cleanup window); every node of a cluster
    // runs in the same zone (docs/operations.md "Two engine nodes").
    TimeZone.setDefault(TimeZone.getTimeZone(zone()));
    refuseDefaultAdminInProduction(System.getenv());
    SpringApplication application = new SpringApplication(EngineApplication.class);
    application.addInitializers(new DatabaseAtStart());
    application.run(args);
  }

  /**
   * With HUIQI_ENV=production the engine never starts with the development administrator (admin/admin) or a
   * short password: its admin app is published to staff (issue 11, item 3; the rule of domain/production.py).
   */
  static void refuseDefaultAdminInProduction(java.util.Map<String, String> env) {
    if (!"production".equals(env.getOrDefault("HUIQI_ENV", "").strip())) {
      return;
    }
    String password = env.getOrDefault("CAMUNDA_ADMIN_PASSWORD", "");
    if (password.equals("admin") || password.length() < 12) {
      System.err.println("HUIQI_ENV=production：CAMUNDA_ADMIN_PASSWORD 未设置、仍为默认值或少于 12 位，流程引擎未启动。");
      System.exit(DatabaseAtStart.EXIT_MISCONFIGURED);
    }
  }

  /** ENGINE_TIMEZONE; else the JVM's -Duser.timezone when one was given; else China time. */
  private static ZoneId zone() {
    String configured = System.getenv("ENGINE_TIMEZONE");
    if (configured == null || configured.isBlank()) {
      boolean jvmOption = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(argument -> argument.startsWith("-Duser.timezone="));
      return jvmOption ? TimeZone.getDefault().toZoneId() : ZoneId.of(DEFAULT_ZONE);
    }
    try {
      return ZoneId.of(configured.strip());
    } catch (DateTimeException unknown) {
      // Logging is not set up yet: one line on stderr, no stack trace.
      System.err.println("ENGINE_TIMEZONE=" + configured + " 不是有效的时区（应如 Asia/Shanghai），流程引擎未启动。");
      System.exit(DatabaseAtStart.EXIT_MISCONFIGURED);
      throw new IllegalStateException(unknown); // not reached
    }
  }
}
