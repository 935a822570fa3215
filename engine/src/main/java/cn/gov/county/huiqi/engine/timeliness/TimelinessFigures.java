package cn.gov.county.huiqi.engine.timeliness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The timeliness figures per unit (R17, R18), computed here and nowhere else: the web UI's dashboard and its CSV,
 * the joint meeting's monthly report, the yearly assessment and the managers' Cockpit plugin all read them from
 * this class (through {@code /engine-rest/huiqi/timeliness} or the plugin's resource), so they never disagree.
 *
 * <p>Read from the figures' own tables, kept current from the engine's history in the same transactions
 * ({@link ProjectionTables}, {@link ProjectionHandler}): a row per case, counters per unit and day, and the runtime's
 * open tasks, so the answer stays fast at a province's volume (docs/performance.md, P3). Working days per stage are
 * counted at reading time on the official calendar deployed with the reference data.
 */
public final class TimelinessFigures {

  static final String CASE_PROCESS = "policy_fulfilment";
  static final String EXTENSION_PROCESS = "deadline_extension";
  static final String WINDOW = "window";
  static final int OVERDUE_LISTED = 100; // per unit, most overdue first; overdueCount is the full count

  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private final ProcessEngine engine;
  private final DataSource dataSource;
  private final ZoneId zone = ZoneId.systemDefault(); // the engine writes local times (ENGINE_TIMEZONE)

  public TimelinessFigures(ProcessEngine engine) {
    this.engine = engine;
    this.dataSource = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
  }

  /** The figures of a period ({@code null}: all time, {@code 2026}, {@code 2026-11}) as of the engine's now. */
  public Map<String, Object> figures(String period, String userId, List<String> groupIds) {
    return figures(period, ClockUtil.getCurrentTime(), userId, groupIds);
  }

  /** The figures of a period, with open tasks judged overdue as of {@code now}. */
  public Map<String, Object> figures(String period, Date now, String userId, List<String> groupIds) {
    Period bounds = Period.parse(period, zone);
    requireHistory(userId, groupIds, CASE_PROCESS, EXTENSION_PROCESS);
    Map<String, UnitFigures> units = new LinkedHashMap<>();
    Map<String, Integer> byMonth = new TreeMap<>();
    TreeSet<Integer> gaps = new TreeSet<>();
    TreeSet<Integer> provisional = new TreeSet<>();
    ReferenceData reference;
    try (Connection connection = dataSource.getConnection()) {
      connection.setReadOnly(true);
      reference = ReferenceData.load(connection);
      reference.units.forEach((group, name) -> units.put(group, new UnitFigures(group, name)));
      cases(connection, bounds, units, byMonth);
      finishedTasks(connection, bounds, units, reference, gaps);
      overdue(connection, now, units, reference, provisional);
      escalations(connection, bounds, now, units);
      closed(connection, bounds, units);
      extensions(connection, bounds, units);
    } catch (SQLException e) {
      throw new IllegalStateException("读取办理时效数据失败：" + e.getMessage(), e);
    }
    if (bounds.start != null && reference.isProvisional(bounds.start.getYear())) {
      provisional.add(bounds.start.getYear());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("period", bounds.text);
    result.put("now", format(now));
    result.put("units", units.values().stream().map(UnitFigures::toMap).toList());
    result.put("receivedByMonth", byMonth);
    result.put("calendarGaps", gaps);
    result.put("provisionalYears", provisional);
    return result;
  }

  /** Time spent at each step of a process (all versions of its key): finished and open, average duration. */
  public Map<String, Object> steps(String processDefinitionKey, String period, String userId, List<String> groupIds) {
    if (processDefinitionKey == null || !KEY.matcher(processDefinitionKey).matches()) {
      throw new IllegalArgumentException("processDefinitionKey 不正确：应为流程定义的键，如 policy_fulfilment。");
    }
    Period bounds = Period.parse(period, zone);
    requireHistory(userId, groupIds, processDefinitionKey);
    Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
    Map<String, long[]> days = new HashMap<>(); // activity → {sum of working days, tasks counted}
    String window = bounds.start == null ? "" : " AND (a.END_TIME_ IS NULL OR a.END_TIME_ >= ?) AND a.START_TIME_ < ?";
    try (Connection connection = dataSource.getConnection()) {
      connection.setReadOnly(true);
      ReferenceData reference = ReferenceData.load(connection);
      String summary = "SELECT a.ACT_ID_, MAX(a.ACT_NAME_), MAX(a.ACT_TYPE_), COUNT(a.END_TIME_),"
          + " SUM(CASE WHEN a.END_TIME_ IS NULL THEN 1 ELSE 0 END), AVG(a.DURATION_)"
          + " FROM ACT_HI_ACTINST a WHERE a.PROC_DEF_KEY_ = ? AND a.ACT_TYPE_ IN (" + STEP_TYPES + ")" + window
          + " GROUP BY a.ACT_ID_ ORDER BY MIN(a.START_TIME_)";
      try (PreparedStatement query = connection.prepareStatement(summary)) {
        int next = bind(query, 1, processDefinitionKey);
        bindBounds(query, next, bounds);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("activityId", rows.getString(1));
            step.put("activityName", rows.getString(2));
            step.put("activityType", rows.getString(3));
            step.put("finished", rows.getLong(4));
            step.put("open", rows.getLong(5));
            double millis = rows.getDouble(6);
            step.put("averageHours", rows.wasNull() ? null : round(millis / 3_600_000d));
            step.put("averageWorkingDays", null);
            steps.put(rows.getString(1), step);
          }
        }
      }
      String spans = "SELECT a.ACT_ID_, CAST(a.START_TIME_ AS DATE), CAST(a.END_TIME_ AS DATE), COUNT(*)"
          + " FROM ACT_HI_ACTINST a WHERE a.PROC_DEF_KEY_ = ? AND a.END_TIME_ IS NOT NULL"
          + " AND a.ACT_TYPE_ IN (" + STEP_TYPES + ")" + window
          + " GROUP BY a.ACT_ID_, CAST(a.START_TIME_ AS DATE), CAST(a.END_TIME_ AS DATE)";
      try (PreparedStatement query = connection.prepareStatement(spans)) {
        bindBounds(query, bind(query, 1, processDefinitionKey), bounds);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            LocalDate start = rows.getDate(2).toLocalDate();
            LocalDate end = rows.getDate(3).toLocalDate();
            if (reference.knows(start) && reference.knows(end)) {
              long[] sum = days.computeIfAbsent(rows.getString(1), id -> new long[2]);
              sum[0] += (long) reference.workingDaysBetween(start, end) * rows.getLong(4);
              sum[1] += rows.getLong(4);
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("读取各环节用时失败：" + e.getMessage(), e);
    }
    days.forEach((activity, sum) -> {
      if (steps.containsKey(activity) && sum[1] > 0) {
        steps.get(activity).put("averageWorkingDays", round((double) sum[0] / sum[1]));
      }
    });
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("processDefinitionKey", processDefinitionKey);
    result.put("period", bounds.text);
    result.put("steps", new ArrayList<>(steps.values()));
    return result;
  }

  // The activities a case waits at: tasks, sub-processes, and the events and gateways that wait for the outside.
  private static final String STEP_TYPES = "'userTask', 'serviceTask', 'multiInstanceBody', 'subProcess',"
      + " 'callActivity', 'receiveTask', 'intermediateTimer', 'intermediateMessageCatch', 'eventBasedGateway',"
      + " 'intermediateSignalCatch', 'intermediateConditional'";

  // -- the queries ------------------------------------------------------------------------------------------------

  /** Received and open per unit (R1: the window receives every case; a department those routed to it). */
  private void cases(Connection connection, Period bounds, Map<String, UnitFigures> units, Map<String, Integer> byMonth)
      throws SQLException {
    String sql = "SELECT c.DEPARTMENT_, EXTRACT(YEAR FROM c.START_TIME_), EXTRACT(MONTH FROM c.START_TIME_), COUNT(*),"
        + " SUM(c.OPEN_) FROM HQ_TL_INSTANCE c WHERE c.PROCESS_KEY_ = ?"
        + (bounds.start == null ? "" : " AND c.START_TIME_ >= ? AND c.START_TIME_ < ?")
        + " GROUP BY c.DEPARTMENT_, EXTRACT(YEAR FROM c.START_TIME_), EXTRACT(MONTH FROM c.START_TIME_)";
    UnitFigures window = units.get(WINDOW);
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      bindBounds(query, bind(query, 1, CASE_PROCESS), bounds);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long received = rows.getLong(4);
          long open = rows.getLong(5);
          byMonth.merge(String.format("%04d-%02d", rows.getInt(2), rows.getInt(3)), (int) received, Integer::sum);
          if (window != null) {
            window.received += received;
            window.open += open;
          }
          UnitFigures unit = units.get(rows.getString(1));
          if (unit != null && unit != window) {
            unit.received += received;
            unit.open += open;
          }
        }
      }
    }
  }

  /** Each unit's tasks finished in the period: on time against their due date, working days per stage. */
  private void finishedTasks(Connection connection, Period bounds, Map<String, UnitFigures> units,
      ReferenceData reference, TreeSet<Integer> gaps) throws SQLException {
    String sql = "SELECT d.GROUP_ID_, d.STAGE_, d.START_DAY_, d.END_DAY_, d.TASKS_, d.WITH_DUE_, d.ON_TIME_"
        + " FROM HQ_TL_TASK_DAYS d" + (bounds.start == null ? "" : " WHERE d.END_DAY_ >= ? AND d.END_DAY_ < ?");
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      if (bounds.start != null) {
        query.setDate(1, java.sql.Date.valueOf(bounds.start.toLocalDate()));
        query.setDate(2, java.sql.Date.valueOf(bounds.end.toLocalDate()));
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          UnitFigures unit = units.get(rows.getString(1));
          if (unit == null) {
            continue;
          }
          unit.tasksDone += rows.getLong(6);
          unit.tasksOnTime += rows.getLong(7);
          LocalDate start = rows.getDate(3).toLocalDate();
          LocalDate end = rows.getDate(4).toLocalDate();
          if (!reference.knows(start) || !reference.knows(end)) {
            gaps.add(reference.knows(start) ? end.getYear() : start.getYear());
            continue;
          }
          long[] sum = unit.stageDays.computeIfAbsent(rows.getString(2), name -> new long[2]);
          sum[0] += (long) reference.workingDaysBetween(start, end) * rows.getLong(5);
          sum[1] += rows.getLong(5);
        }
      }
    }
  }

  /** Open tasks of the cases past their due date now, per candidate group, most overdue first. */
  private void overdue(Connection connection, Date now, Map<String, UnitFigures> units, ReferenceData reference,
      TreeSet<Integer> provisional) throws SQLException {
    String sql = "SELECT l.GROUP_ID_, t.ID_, t.NAME_, t.DUE_DATE_, t.PROC_INST_ID_, e.BUSINESS_KEY_"
        + " FROM ACT_RU_TASK t JOIN ACT_RE_PROCDEF d ON d.ID_ = t.PROC_DEF_ID_"
        + " JOIN ACT_RU_IDENTITYLINK l ON l.TASK_ID_ = t.ID_ AND l.TYPE_ = 'candidate' AND l.GROUP_ID_ IS NOT NULL"
        + " LEFT JOIN ACT_RU_EXECUTION e ON e.ID_ = t.PROC_INST_ID_"
        + " WHERE d.KEY_ = ? AND t.DUE_DATE_ < ? ORDER BY t.DUE_DATE_, t.ID_";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, CASE_PROCESS);
      query.setTimestamp(2, new Timestamp(now.getTime()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          UnitFigures unit = units.get(rows.getString(1));
          if (unit == null) {
            continue;
          }
          unit.overdueCount++;
          Timestamp due = rows.getTimestamp(4);
          if (reference.isProvisional(due.toLocalDateTime().getYear())) {
            provisional.add(due.toLocalDateTime().getYear());
          }
          if (unit.overdue.size() < OVERDUE_LISTED) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("processInstanceId", rows.getString(5));
            String key = rows.getString(6);
            task.put("applicationNumber", key == null ? rows.getString(5) : key);
            task.put("taskId", rows.getString(2));
            task.put("taskName", rows.getString(3));
            task.put("due", format(due));
            unit.overdue.add(task);
          }
        }
      }
    }
  }

  /**
   * Escalations (超期预警, R18): the unit's tasks whose deadline passed in the period while they were open: those
   * still open (the runtime's tasks, with every candidate group they have had) and those finished late.
   */
  private void escalations(Connection connection, Period bounds, Date now, Map<String, UnitFigures> units)
      throws SQLException {
    String inPeriod = bounds.start == null ? "" : " AND %1$s >= ? AND %1$s < ?";
    String open = "SELECT g.GROUP_ID_, COUNT(*) FROM ACT_RU_TASK t JOIN ACT_RE_PROCDEF d ON d.ID_ = t.PROC_DEF_ID_"
        + " JOIN HQ_TL_TASK_GROUP g ON g.TASK_ID_ = t.ID_ WHERE t.DUE_DATE_ < ?" + inPeriod.formatted("t.DUE_DATE_")
        + " AND d.KEY_ = '" + CASE_PROCESS + "' GROUP BY g.GROUP_ID_";
    String finishedLate = "SELECT x.GROUP_ID_, SUM(x.TASKS_) FROM HQ_TL_LATE x WHERE x.DUE_DATE_ < ?"
        + inPeriod.formatted("x.DUE_DATE_") + " GROUP BY x.GROUP_ID_";
    for (String sql : List.of(open, finishedLate)) {
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setTimestamp(1, new Timestamp(now.getTime()));
        bindBounds(query, 2, bounds);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            UnitFigures unit = units.get(rows.getString(1));
            if (unit != null) {
              unit.escalations += rows.getLong(2);
            }
          }
        }
      }
    }
  }

  /** Cases closed (办结: the enterprise has its unified feedback, R12) in the period, per department routed to. */
  private void closed(Connection connection, Period bounds, Map<String, UnitFigures> units) throws SQLException {
    Map<String, Long> closed = countByDepartment(connection, CASE_PROCESS, bounds);
    UnitFigures window = units.get(WINDOW);
    closed.forEach((group, count) -> {
      if (window != null) {
        window.finished += count; // the window closes every case (its unified feedback)
      }
      UnitFigures unit = units.get(group);
      if (unit != null && unit != window) {
        unit.finished += count;
      }
    });
  }

  /** Deadline extensions applied in the period (R11), per unit that asked. */
  private void extensions(Connection connection, Period bounds, Map<String, UnitFigures> units) throws SQLException {
    countByDepartment(connection, EXTENSION_PROCESS, bounds).forEach((group, count) -> {
      UnitFigures unit = units.get(group);
      if (unit != null) {
        unit.extensions += count;
      }
    });
  }

  /** Instances of the process done in the period (case closed, extension applied), by their departmentGroup. */
  private Map<String, Long> countByDepartment(Connection connection, String processKey, Period bounds)
      throws SQLException {
    String sql = "SELECT c.DEPARTMENT_, COUNT(*) FROM HQ_TL_INSTANCE c WHERE c.PROCESS_KEY_ = ?"
        + " AND c.DONE_TIME_ IS NOT NULL"
        + (bounds.start == null ? "" : " AND c.DONE_TIME_ >= ? AND c.DONE_TIME_ < ?")
        + " GROUP BY c.DEPARTMENT_";
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      bindBounds(query, bind(query, 1, processKey), bounds);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.merge(rows.getString(1) == null ? "" : rows.getString(1), rows.getLong(2), Long::sum);
        }
      }
    }
    return counts;
  }

  // -- helpers ----------------------------------------------------------------------------------------------------

  /** The caller's own authorizations decide (a manager, the web UI's account): READ_HISTORY on each process. */
  private void requireHistory(String userId, List<String> groupIds, String... processKeys) {
    if (!engine.getProcessEngineConfiguration().isAuthorizationEnabled()) {
      return;
    }
    if (userId == null) {
      throw new FiguresForbidden("未登录：办理时效统计只对已登录的用户开放。");
    }
    AuthorizationService authorizations = engine.getAuthorizationService();
    for (String key : processKeys) {
      if (!authorizations.isUserAuthorized(userId, groupIds, ProcessDefinitionPermissions.READ_HISTORY,
          Resources.PROCESS_DEFINITION, key)) {
        throw new FiguresForbidden("用户 " + userId + " 没有查看办理时效统计的权限：需要流程定义 " + key
            + " 的 READ_HISTORY（读取历史）权限，请联系系统管理员在 Admin 中授权。");
      }
    }
  }

  private static int bind(PreparedStatement query, int index, String value) throws SQLException {
    query.setString(index, value);
    return index + 1;
  }

  private static void bindBounds(PreparedStatement query, int index, Period bounds) throws SQLException {
    if (bounds.start != null) {
      query.setTimestamp(index, Timestamp.valueOf(bounds.start));
      query.setTimestamp(index + 1, Timestamp.valueOf(bounds.end));
    }
  }

  private String format(Date moment) {
    return ZonedDateTime.ofInstant(moment.toInstant(), zone).format(ISO);
  }

  private static Double round(double value) {
    return Math.round(value * 10) / 10d;
  }

  /** A month, a year or all time, as local times of the engine's zone. */
  record Period(String text, LocalDateTime start, LocalDateTime end) {
    static Period parse(String text, ZoneId zone) {
      if (text == null || text.isBlank()) {
        return new Period(null, null, null);
      }
      try {
        if (MONTH.matcher(text).matches()) {
          YearMonth month = YearMonth.parse(text);
          return new Period(text, month.atDay(1).atStartOfDay(), month.plusMonths(1).atDay(1).atStartOfDay());
        }
        if (YEAR.matcher(text).matches()) {
          int year = Integer.parseInt(text);
          return new Period(text, LocalDate.of(year, 1, 1).atStartOfDay(), LocalDate.of(year + 1, 1, 1).atStartOfDay());
        }
      } catch (DateTimeParseException e) {
        // falls through to the refusal below
      }
      throw new IllegalArgumentException("统计期间 “" + abbreviate(text) + "” 不正确：应为 2026（年）或 2026-11（月），或不填（全部）。");
    }

    private static String abbreviate(String text) {
      return text.length() > 20 ? text.substring(0, 20) + "…" : text;
    }
  }

  /** One unit's figures while they are counted. */
  private static final class UnitFigures {
    final String group;
    final String name;
    long received;
    long open;
    long finished;
    long tasksDone;
    long tasksOnTime;
    long escalations;
    long extensions;
    long overdueCount;
    final Map<String, long[]> stageDays = new TreeMap<>(); // stage → {sum of working days, tasks counted}
    final List<Map<String, Object>> overdue = new ArrayList<>();

    UnitFigures(String group, String name) {
      this.group = group;
      this.name = name;
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("group", group);
      map.put("name", name);
      map.put("received", received);
      map.put("open", open);
      map.put("finished", finished);
      map.put("tasksDone", tasksDone);
      map.put("tasksOnTime", tasksOnTime);
      map.put("onTimePercent", tasksDone == 0 ? null : round(100d * tasksOnTime / tasksDone));
      map.put("escalations", escalations);
      map.put("extensions", extensions);
      Map<String, Double> stages = new LinkedHashMap<>();
      stageDays.forEach((stage, sum) -> stages.put(stage, round((double) sum[0] / sum[1])));
      map.put("workingDaysByStage", stages);
      map.put("overdueCount", overdueCount);
      map.put("overdue", overdue);
      return map;
    }
  }
}
