package cn.gov.county.huiqi.engine.timeliness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The county's reference data the figures need, deployed by the application beside its processes
 * ({@code python -m domain deploy}, domain/timeliness/reference.py): its units in order with their Chinese names, and
 * the official working-day calendar (R3–R12 count working days) of each year it knows, provisional years marked.
 *
 * <p>Read from the latest deployment of that name and kept until a newer one appears, so every node of a cluster
 * counts on the same calendar and a calendar loaded by the operator is used at once.
 */
final class ReferenceData {

  static final String DEPLOYMENT_NAME = "huiqi-reference";
  static final String RESOURCE_NAME = "huiqi-reference.json";

  private static volatile ReferenceData current;

  final String deploymentId;
  final Map<String, String> units; // group id → Chinese name, in the county's order
  private final LocalDate first;
  private final int[] ordinal; // working days from `first` up to and including each day
  private final Set<Integer> provisional;

  private ReferenceData(String deploymentId, Map<String, String> units, Map<Integer, YearDays> years) {
    this.deploymentId = deploymentId;
    this.units = units;
    TreeSet<Integer> known = new TreeSet<>(years.keySet());
    this.provisional = new HashSet<>();
    if (known.isEmpty()) {
      this.first = null;
      this.ordinal = new int[0];
      return;
    }
    for (int year = known.first(); year <= known.last(); year++) {
      if (!years.containsKey(year)) {
        throw new IllegalStateException("日历数据缺少 " + year + " 年，不连续");
      }
    }
    this.first = LocalDate.of(known.first(), 1, 1);
    LocalDate end = LocalDate.of(known.last(), 12, 31);
    this.ordinal = new int[(int) ChronoUnit.DAYS.between(first, end) + 1];
    int count = 0;
    for (int i = 0; i < ordinal.length; i++) {
      LocalDate day = first.plusDays(i);
      YearDays year = years.get(day.getYear());
      boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      boolean working = year.workdays.contains(day) || (!weekend && !year.holidays.contains(day));
      count += working ? 1 : 0;
      ordinal[i] = count;
    }
    years.forEach((year, days) -> {
      if (days.provisional) {
        provisional.add(year);
      }
    });
  }

  /**
   * The latest reference data deployed, read again only when a newer deployment appears. Read straight from the
   * deployment tables: it is the county's reference, not a deployment the caller needs permission to read.
   */
  static ReferenceData load(Connection connection) throws SQLException {
    String latest;
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT ID_ FROM ACT_RE_DEPLOYMENT WHERE NAME_ = ? ORDER BY DEPLOY_TIME_ DESC, ID_ DESC")) {
      query.setString(1, DEPLOYMENT_NAME);
      query.setMaxRows(1);
      try (ResultSet rows = query.executeQuery()) {
        latest = rows.next() ? rows.getString(1) : null;
      }
    }
    if (latest == null) {
      throw new FiguresUnavailable("办理时效统计所需的单位与工作日日历尚未部署到流程引擎，请运行 python -m domain deploy。");
    }
    ReferenceData cached = current;
    if (cached != null && cached.deploymentId.equals(latest)) {
      return cached;
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT BYTES_ FROM ACT_GE_BYTEARRAY WHERE DEPLOYMENT_ID_ = ? AND NAME_ = ?")) {
      query.setString(1, latest);
      query.setString(2, RESOURCE_NAME);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new FiguresUnavailable("引擎中的参考数据部署 " + latest + " 缺少 " + RESOURCE_NAME + "，请重新运行 python -m domain deploy。");
        }
        ReferenceData read = parse(latest, new ObjectMapper().readTree(rows.getBytes(1)));
        current = read;
        return read;
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FiguresUnavailable unavailable) {
        throw unavailable;
      }
      throw new FiguresUnavailable("引擎中的参考数据（" + RESOURCE_NAME + "）无法读取：" + e.getMessage());
    }
  }

  static ReferenceData parse(String deploymentId, JsonNode root) {
    Map<String, String> units = new LinkedHashMap<>();
    for (JsonNode unit : root.path("units")) {
      units.put(unit.path("group").asText(), unit.path("name").asText());
    }
    Map<Integer, YearDays> years = new LinkedHashMap<>();
    root.path("calendar").path("years").fields().forEachRemaining(entry -> {
      JsonNode year = entry.getValue();
      years.put(Integer.valueOf(entry.getKey()),
          new YearDays(dates(year.path("holidays")), dates(year.path("workdays")), year.path("provisional").asBoolean()));
    });
    if (units.isEmpty()) {
      throw new IllegalStateException("没有单位");
    }
    return new ReferenceData(deploymentId, units, years);
  }

  private static Set<LocalDate> dates(JsonNode list) {
    Set<LocalDate> days = new HashSet<>();
    for (JsonNode day : list) {
      days.add(LocalDate.parse(day.asText()));
    }
    return days;
  }

  /** Whether the calendar covers the day's year. */
  boolean knows(LocalDate day) {
    return first != null && !day.isBefore(first) && day.isBefore(first.plusDays(ordinal.length));
  }

  /** Working days that follow {@code start} up to and including {@code end}, as domain/calendar counts them. */
  int workingDaysBetween(LocalDate start, LocalDate end) {
    if (end.isBefore(start)) {
      return 0;
    }
    return ordinal[index(end)] - ordinal[index(start)];
  }

  boolean isProvisional(int year) {
    return provisional.contains(year);
  }

  List<String> groups() {
    return new ArrayList<>(units.keySet());
  }

  private int index(LocalDate day) {
    return (int) ChronoUnit.DAYS.between(first, day);
  }

  private record YearDays(Set<LocalDate> holidays, Set<LocalDate> workdays, boolean provisional) {}
}
