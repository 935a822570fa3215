package cn.gov.county.huiqi.engine.timeliness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricIdentityLinkLogEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandContextListener;

/**
 * Keeps {@link ProjectionTables} current from the engine's history events, in the same transaction as the history
 * itself: a command that fails or is rolled back (an optimistic-locking conflict) leaves the figures as they were.
 *
 * <p>The changes of one command are collected while it runs and written when it closes, before the engine flushes
 * its own rows: a case's row exists before its variables are recorded, and the counters are added to in key order,
 * so that two transactions never wait for each other's counters crosswise.
 */
final class ProjectionHandler implements HistoryEventHandler {

  private static final String START = HistoryEventTypes.PROCESS_INSTANCE_START.getEventName();
  private static final String END = HistoryEventTypes.PROCESS_INSTANCE_END.getEventName();
  private static final String ACTIVITY_END = HistoryEventTypes.ACTIVITY_INSTANCE_END.getEventName();
  private static final String TASK_COMPLETE = HistoryEventTypes.TASK_INSTANCE_COMPLETE.getEventName();
  private static final String TASK_DELETE = HistoryEventTypes.TASK_INSTANCE_DELETE.getEventName();
  private static final String VARIABLE_CREATE = HistoryEventTypes.VARIABLE_INSTANCE_CREATE.getEventName();
  private static final String VARIABLE_UPDATE = HistoryEventTypes.VARIABLE_INSTANCE_UPDATE.getEventName();
  private static final String LINK_ADD = HistoryEventTypes.IDENTITY_LINK_ADD.getEventName();

  private static final String DUPLICATE_KEY = "23505"; // SQLSTATE unique violation (H2 and PostgreSQL)

  private final ZoneId zone = ZoneId.systemDefault(); // the engine writes local times
  private final Map<CommandContext, Batch> batches = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile Boolean postgres; // the engine's database, found at the first write

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::handleEvent);
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    Change change = change(event);
    if (change == null) {
      return;
    }
    CommandContext context = Context.getCommandContext();
    Batch batch = batches.computeIfAbsent(context, key -> {
      Batch created = new Batch();
      key.registerCommandContextListener(created);
      return created;
    });
    if (batch.written) { // an event after the command's close (a later close listener's): written at once
      Batch late = new Batch();
      late.changes.add(change);
      late.write(context);
    } else {
      batch.changes.add(change);
    }
  }

  /** What the event changes in the figures, or null. */
  private Change change(HistoryEvent event) {
    String type = event.getEventType();
    String key = event.getProcessDefinitionKey();
    if (event instanceof HistoricProcessInstanceEventEntity instance) {
      if (START.equals(type) && ProjectionTables.DONE_ACTIVITY.containsKey(key)) {
        return new Change.Started(instance.getProcessInstanceId(), key, instance.getStartTime());
      }
      return END.equals(type) ? new Change.Closed(instance.getProcessInstanceId()) : null;
    }
    if (event instanceof HistoricVariableUpdateEventEntity variable
        && (VARIABLE_CREATE.equals(type) || VARIABLE_UPDATE.equals(type))) {
      String instance = variable.getProcessInstanceId();
      if ("departmentGroup".equals(variable.getVariableName()) && instance != null
          && instance.equals(variable.getScopeActivityInstanceId())) { // the case's own, not a sub-scope's
        return new Change.Routed(instance, variable.getTextValue());
      }
      if ("feedbackId".equals(variable.getVariableName()) && instance != null) { // R12: the enterprise has its answer
        return new Change.Closed(instance);
      }
      return null;
    }
    if (event instanceof HistoricActivityInstanceEventEntity activity && ACTIVITY_END.equals(type)
        && activity.getActivityId() != null && activity.getActivityId().equals(ProjectionTables.DONE_ACTIVITY.get(key))) {
      return new Change.Done(activity.getProcessInstanceId(), key, activity.getEndTime());
    }
    if (event instanceof HistoricIdentityLinkLogEventEntity link && LINK_ADD.equals(type)
        && "candidate".equals(link.getType()) && link.getGroupId() != null && link.getTaskId() != null) {
      return new Change.Candidate(link.getTaskId(), link.getGroupId());
    }
    if (event instanceof HistoricTaskInstanceEventEntity task
        && (TASK_COMPLETE.equals(type) || TASK_DELETE.equals(type)) && task.getEndTime() != null) {
      return new Change.TaskEnded(task.getTaskId() != null ? task.getTaskId() : task.getId(),
          ProjectionTables.CASE_PROCESS.equals(key), task.getName(), task.getStartTime(), task.getEndTime(),
          task.getDueDate());
    }
    return null;
  }

  /** One change to the figures' tables. */
  private sealed interface Change {
    record Started(String instance, String key, Date start) implements Change {}

    record Closed(String instance) implements Change {}

    record Routed(String instance, String group) implements Change {}

    record Done(String instance, String key, Date at) implements Change {}

    record Candidate(String task, String group) implements Change {}

    record TaskEnded(String task, boolean counted, String stage, Date start, Date end, Date due) implements Change {}
  }

  /** The changes of one command, written when it closes. */
  private final class Batch implements CommandContextListener {
    final List<Change> changes = new ArrayList<>();
    boolean written;

    @Override
    public void onCommandContextClose(CommandContext context) {
      written = true;
      write(context);
    }

    @Override
    public void onCommandFailed(CommandContext context, Throwable failure) {
      changes.clear();
      batches.remove(context);
    }

    void write(CommandContext context) {
      if (changes.isEmpty()) {
        return;
      }
      Connection connection = context.getDbSqlSession().getSqlSession().getConnection();
      try {
        if (postgres == null) {
          postgres = ProjectionTables.isPostgres(connection);
        }
        new Writer(connection, postgres).write(changes);
      } catch (SQLException e) {
        throw new IllegalStateException("更新办理时效统计失败：" + e.getMessage(), e);
      } finally {
        changes.clear();
      }
    }
  }

  /** Writes a batch: the new cases first, the rest in order, the counters last in key order. */
  private final class Writer {
    private final Connection connection;
    private final boolean postgres;
    private final TreeMap<List<Object>, long[]> taskDays = new TreeMap<>(Writer::compareKeys);
    private final TreeMap<List<Object>, long[]> late = new TreeMap<>(Writer::compareKeys);

    Writer(Connection connection, boolean postgres) {
      this.connection = connection;
      this.postgres = postgres;
    }

    void write(List<Change> changes) throws SQLException {
      for (Change change : changes) {
        if (change instanceof Change.Started started) {
          insertIfAbsent("HQ_TL_INSTANCE", List.of("PROC_INST_ID_"),
              List.of("PROCESS_KEY_", "START_TIME_", "OPEN_"),
              List.of(started.instance()), List.of(started.key(), timestamp(started.start()), 1));
        }
      }
      for (Change change : changes) {
        if (change instanceof Change.Closed closed) {
          update("UPDATE HQ_TL_INSTANCE SET OPEN_ = 0 WHERE PROC_INST_ID_ = ?", closed.instance());
        } else if (change instanceof Change.Routed routed) {
          update("UPDATE HQ_TL_INSTANCE SET DEPARTMENT_ = ? WHERE PROC_INST_ID_ = ?", routed.group(),
              routed.instance());
        } else if (change instanceof Change.Done done) {
          update("UPDATE HQ_TL_INSTANCE SET DONE_TIME_ = ? WHERE PROC_INST_ID_ = ? AND PROCESS_KEY_ = ?",
              timestamp(done.at()), done.instance(), done.key());
        } else if (change instanceof Change.Candidate candidate) {
          insertIfAbsent("HQ_TL_TASK_GROUP", List.of("TASK_ID_", "GROUP_ID_"), List.of(),
              List.of(candidate.task(), candidate.group()), List.of());
        } else if (change instanceof Change.TaskEnded ended) {
          taskEnded(ended);
        }
      }
      for (Map.Entry<List<Object>, long[]> row : taskDays.entrySet()) {
        addTo("HQ_TL_TASK_DAYS", List.of("GROUP_ID_", "STAGE_", "START_DAY_", "END_DAY_"), row.getKey(),
            List.of("TASKS_", "WITH_DUE_", "ON_TIME_"), row.getValue());
      }
      for (Map.Entry<List<Object>, long[]> row : late.entrySet()) {
        addTo("HQ_TL_LATE", List.of("GROUP_ID_", "DUE_DATE_"), row.getKey(), List.of("TASKS_"), row.getValue());
      }
    }

    /** A finished task counts for every group it has had as a candidate (R16), then leaves the open tasks. */
    private void taskEnded(Change.TaskEnded ended) throws SQLException {
      if (ended.counted()) {
        Date start = ended.start() != null ? ended.start() : started(ended.task(), ended.end());
        List<String> groups = new ArrayList<>();
        try (PreparedStatement query =
            connection.prepareStatement("SELECT GROUP_ID_ FROM HQ_TL_TASK_GROUP WHERE TASK_ID_ = ?")) {
          query.setString(1, ended.task());
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              groups.add(rows.getString(1));
            }
          }
        }
        boolean withDue = ended.due() != null;
        boolean onTime = withDue && !ended.end().after(ended.due());
        for (String group : groups) {
          long[] counts = taskDays.computeIfAbsent(List.of(group, ended.stage() == null ? "" : ended.stage(),
              day(start), day(ended.end())), k -> new long[3]);
          counts[0] += 1;
          counts[1] += withDue ? 1 : 0;
          counts[2] += onTime ? 1 : 0;
          if (withDue && !onTime) {
            late.computeIfAbsent(List.of(group, timestamp(ended.due())), k -> new long[1])[0] += 1;
          }
        }
      }
      update("DELETE FROM HQ_TL_TASK_GROUP WHERE TASK_ID_ = ?", ended.task());
    }

    /**
     * When the task began: the engine's end event does not carry it, its history row does (written by an earlier
     * command; a task begun and ended in one command has no row yet and counts as begun when it ended).
     */
    private Date started(String task, Date end) throws SQLException {
      String sql = "SELECT START_TIME_ FROM ACT_HI_TASKINST WHERE ID_ = ?";
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setString(1, task);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() && rows.getTimestamp(1) != null ? new Date(rows.getTimestamp(1).getTime()) : end;
        }
      }
    }

    private void insertIfAbsent(String table, List<String> keys, List<String> columns, List<Object> keyValues,
        List<Object> values) throws SQLException {
      List<String> all = new ArrayList<>(keys);
      all.addAll(columns);
      List<Object> parameters = new ArrayList<>(keyValues);
      parameters.addAll(values);
      String marks = String.join(", ", Collections.nCopies(all.size(), "?"));
      String sql;
      if (postgres) {
        sql = "INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES (" + marks + ")"
            + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
      } else { // H2 (development): its own upsert; a row already there is only ever the same facts
        sql = "MERGE INTO " + table + " (" + String.join(", ", all) + ") KEY (" + String.join(", ", keys)
            + ") VALUES (" + marks + ")";
      }
      try {
        update(sql, parameters.toArray());
      } catch (SQLException e) {
        if (!postgres && DUPLICATE_KEY.equals(e.getSQLState())) {
          return; // H2: another transaction has just written the same row; it holds the same facts
        }
        throw e;
      }
    }

    /** Add counts to a counter row, creating it the first time. */
    private void addTo(String table, List<String> keys, List<Object> keyValues, List<String> counters, long[] counts)
        throws SQLException {
      List<Object> parameters = new ArrayList<>(keyValues);
      for (long count : counts) {
        parameters.add(count);
      }
      List<String> all = new ArrayList<>(keys);
      all.addAll(counters);
      if (postgres) {
        update("INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES ("
            + String.join(", ", Collections.nCopies(all.size(), "?")) + ") ON CONFLICT (" + String.join(", ", keys)
            + ") DO UPDATE SET " + String.join(", ", counters.stream()
                .map(c -> c + " = " + table + "." + c + " + EXCLUDED." + c).toList()), parameters.toArray());
        return;
      }
      List<Object> increments = new ArrayList<>();
      for (long count : counts) {
        increments.add(count);
      }
      increments.addAll(keyValues);
      String incrementSql = "UPDATE " + table + " SET " + String.join(", ", counters.stream()
          .map(c -> c + " = " + c + " + ?").toList()) + " WHERE "
          + String.join(" AND ", keys.stream().map(k -> k + " = ?").toList());
      int changed = update(incrementSql, increments.toArray());
      if (changed == 0) {
        try {
          update("INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES ("
              + String.join(", ", Collections.nCopies(all.size(), "?")) + ")", parameters.toArray());
        } catch (SQLException e) {
          if (!DUPLICATE_KEY.equals(e.getSQLState())) {
            throw e;
          }
          // H2: another transaction created the row meanwhile (a failed statement leaves H2's transaction usable)
          update(incrementSql, increments.toArray());
        }
      }
    }

    private int update(String sql, Object... parameters) throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          Object value = parameters[i];
          if (value instanceof LocalDate date) {
            statement.setDate(i + 1, java.sql.Date.valueOf(date));
          } else {
            statement.setObject(i + 1, value);
          }
        }
        return statement.executeUpdate();
      }
    }

    private LocalDate day(Date moment) {
      return moment.toInstant().atZone(zone).toLocalDate();
    }

    private static Timestamp timestamp(Date moment) {
      return moment == null ? null : new Timestamp(moment.getTime());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int order = ((Comparable) a.get(i)).compareTo(b.get(i));
        if (order != 0) {
          return order;
        }
      }
      return Integer.compare(a.size(), b.size());
    }
  }
}
