package cn.gov.county.huiqi.engine;

import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Camunda 7 process engine with its REST API and the staff's web apps. */
@SpringBootApplication
public class EngineApplication {

  public static void main(String[] args) {
    // Deadlines are China time: the REST API and Tasklist then show them as staff count them.
    String zone = System.getenv().getOrDefault("ENGINE_TIMEZONE", "Asia/Shanghai");
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    SpringApplication.run(EngineApplication.class, args);
  }
}
