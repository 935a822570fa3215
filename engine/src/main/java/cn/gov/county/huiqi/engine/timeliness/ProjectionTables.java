package cn.gov.county.huiqi.engine.timeliness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The tables the timeliness figures are read from (issue 14 item 2), beside the engine's own in its database, kept
 * current by {@link ProjectionHandler} in the transaction of each history event, so that the figures read a few
 * small rows per unit instead of the whole history:
 *
 * <ul>
 *   <li>{@code HQ_TL_INSTANCE}: one row per case (and per deadline-extension request): when it was received, the
 *       department it was routed to, whether it is still open, when it closed (or the extension was applied);
 *   <li>{@code HQ_TL_TASK_GROUP}: the candidate groups an open task has had (R16: whose task it is);
 *   <li>{@code HQ_TL_TASK_DAYS}: finished tasks counted per unit, stage, start day and end day, with how many had a
 *       due date and how many ended by it: the working days between the two days are counted at reading time on
 *       the calendar then deployed, so a calendar loaded later (a provisional year made official) counts at once;
 *   <li>{@code HQ_TL_LATE}: finished tasks that ended after their due date, per unit and due moment (R18 超期预警).
 * </ul>
 *
 * <p>Created at the engine's start if missing, and filled from the history then (an engine that had cases before
 * this release), or whenever an administrator asks for a rebuild ({@code POST /engine-rest/huiqi/timeliness/rebuild}).
 */
final class ProjectionTables {

  static final String CASE_PROCESS = TimelinessFigures.CASE_PROCESS;
  static final String EXTENSION_PROCESS = TimelinessFigures.EXTENSION_PROCESS;
  /** The activity whose end counts an instance as done: the case closed (R12), the extension applied (R11). */
  static final Map<String, String> DONE_ACTIVITY =
      Map.of(CASE_PROCESS, "case_closed", EXTENSION_PROCESS, "apply_extension");

  static final String VERSION = "1";
  private static final long LOCK_KEY = 0x48514954L; // PostgreSQL advisory lock: one node builds the tables at once

  private static final List<String> DDL = List.of(
      "CREATE TABLE IF NOT EXISTS HQ_TL_STATE (NAME_ VARCHAR(64) NOT NULL PRIMARY KEY, VALUE_ VARCHAR(255))",
      "CREATE TABLE IF NOT EXISTS HQ_TL_INSTANCE (PROC_INST_ID_ VARCHAR(64) NOT NULL PRIMARY KEY,"
          + " PROCESS_KEY_ VARCHAR(255) NOT NULL, START_TIME_ TIMESTAMP NOT NULL, DEPARTMENT_ VARCHAR(255),"
          + " OPEN_ SMALLINT NOT NULL, DONE_TIME_ TIMESTAMP)",
      "CREATE INDEX IF NOT EXISTS HQ_TL_INSTANCE_START ON HQ_TL_INSTANCE (PROCESS_KEY_, START_TIME_)",
      "CREATE INDEX IF NOT EXISTS HQ_TL_INSTANCE_DONE ON HQ_TL_INSTANCE (PROCESS_KEY_, DONE_TIME_)",
      "CREATE TABLE IF NOT EXISTS HQ_TL_TASK_GROUP (TASK_ID_ VARCHAR(64) NOT NULL, GROUP_ID_ VARCHAR(255) NOT NULL,"
          + " PRIMARY KEY (TASK_ID_, GROUP_ID_))",
      "CREATE TABLE IF NOT EXISTS HQ_TL_TASK_DAYS (GROUP_ID_ VARCHAR(255) NOT NULL, STAGE_ VARCHAR(255) NOT NULL,"
          + " START_DAY_ DATE NOT NULL, END_DAY_ DATE NOT NULL, TASKS_ BIGINT NOT NULL, WITH_DUE_ BIGINT NOT NULL,"
          + " ON_TIME_ BIGINT NOT NULL, PRIMARY KEY (GROUP_ID_, STAGE_, START_DAY_, END_DAY_))",
      "CREATE INDEX IF NOT EXISTS HQ_TL_TASK_DAYS_END ON HQ_TL_TASK_DAYS (END_DAY_)",
      "CREATE TABLE IF NOT EXISTS HQ_TL_LATE (GROUP_ID_ VARCHAR(255) NOT NULL, DUE_DATE_ TIMESTAMP NOT NULL,"
          + " TASKS_ BIGINT NOT NULL, PRIMARY KEY (GROUP_ID_, DUE_DATE_))");

  private static final List<String> TABLES =
      List.of("HQ_TL_INSTANCE", "HQ_TL_TASK_GROUP", "HQ_TL_TASK_DAYS", "HQ_TL_LATE");

  // The candidate groups a history task has had (added, whatever happened to them later).
  private static final String HAD_GROUP = " FROM ACT_HI_TASKINST t JOIN ACT_HI_IDENTITYLINK l ON l.TASK_ID_ = t.ID_"
      + " AND l.TYPE_ = 'candidate' AND l.OPERATION_TYPE_ = 'add' AND l.GROUP_ID_ IS NOT NULL";

  private ProjectionTables() {}

  static boolean isPostgres(Connection connection) throws SQLException {
    return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
  }

  /** Create the tables if missing and fill them from the history the first time (or always, when asked). */
  static void prepare(Connection connection, boolean rebuild) throws SQLException {
    boolean postgres = isPostgres(connection);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      if (postgres) {
        statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      }
      for (String ddl : DDL) {
        statement.execute(ddl);
      }
      if (rebuild || !VERSION.equals(version(connection))) {
        fill(connection, postgres);
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String version(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT VALUE_ FROM HQ_TL_STATE WHERE NAME_ = ?")) {
      query.setString(1, "version");
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** Empty the tables and count again from the engine's history, in the caller's transaction. */
  private static void fill(Connection connection, boolean postgres) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (postgres) {
        // Writers of the figures wait until the rebuild commits: nothing counted twice or lost meanwhile.
        statement.execute("LOCK TABLE " + String.join(", ", TABLES) + " IN EXCLUSIVE MODE");
      }
      for (String table : TABLES) {
        statement.execute("DELETE FROM " + table);
      }
    }
    for (Map.Entry<String, String> done : DONE_ACTIVITY.entrySet()) {
      execute(connection, "INSERT INTO HQ_TL_INSTANCE (PROC_INST_ID_, PROCESS_KEY_, START_TIME_, DEPARTMENT_, OPEN_,"
          + " DONE_TIME_) SELECT p.ID_, p.PROC_DEF_KEY_, p.START_TIME_,"
          + " (SELECT MAX(g.TEXT_) FROM ACT_HI_VARINST g WHERE g.PROC_INST_ID_ = p.ID_"
          + "   AND g.NAME_ = 'departmentGroup' AND g.ACT_INST_ID_ = p.ID_),"
          + " CASE WHEN p.END_TIME_ IS NULL AND NOT EXISTS (SELECT 1 FROM ACT_HI_VARINST f"
          + "   WHERE f.PROC_INST_ID_ = p.ID_ AND f.NAME_ = 'feedbackId') THEN 1 ELSE 0 END,"
          + " (SELECT MAX(a.END_TIME_) FROM ACT_HI_ACTINST a WHERE a.PROC_INST_ID_ = p.ID_ AND a.ACT_ID_ = ?)"
          + " FROM ACT_HI_PROCINST p WHERE p.PROC_DEF_KEY_ = ?", done.getValue(), done.getKey());
    }
    execute(connection, "INSERT INTO HQ_TL_TASK_GROUP (TASK_ID_, GROUP_ID_) SELECT DISTINCT t.ID_, l.GROUP_ID_"
        + HAD_GROUP + " WHERE t.END_TIME_ IS NULL");
    execute(connection, "INSERT INTO HQ_TL_TASK_DAYS (GROUP_ID_, STAGE_, START_DAY_, END_DAY_, TASKS_, WITH_DUE_,"
        + " ON_TIME_) SELECT l.GROUP_ID_, COALESCE(t.NAME_, ''), CAST(t.START_TIME_ AS DATE),"
        + " CAST(t.END_TIME_ AS DATE), COUNT(DISTINCT t.ID_),"
        + " COUNT(DISTINCT CASE WHEN t.DUE_DATE_ IS NOT NULL THEN t.ID_ END),"
        + " COUNT(DISTINCT CASE WHEN t.DUE_DATE_ IS NOT NULL AND t.END_TIME_ <= t.DUE_DATE_ THEN t.ID_ END)"
        + HAD_GROUP + " WHERE t.PROC_DEF_KEY_ = ? AND t.END_TIME_ IS NOT NULL"
        + " GROUP BY l.GROUP_ID_, COALESCE(t.NAME_, ''), CAST(t.START_TIME_ AS DATE), CAST(t.END_TIME_ AS DATE)",
        CASE_PROCESS);
    execute(connection, "INSERT INTO HQ_TL_LATE (GROUP_ID_, DUE_DATE_, TASKS_)"
        + " SELECT l.GROUP_ID_, t.DUE_DATE_, COUNT(DISTINCT t.ID_)" + HAD_GROUP
        + " WHERE t.PROC_DEF_KEY_ = ? AND t.END_TIME_ IS NOT NULL AND t.DUE_DATE_ IS NOT NULL"
        + " AND t.END_TIME_ > t.DUE_DATE_ GROUP BY l.GROUP_ID_, t.DUE_DATE_", CASE_PROCESS);
    execute(connection, "DELETE FROM HQ_TL_STATE WHERE NAME_ = 'version'");
    execute(connection, "INSERT INTO HQ_TL_STATE (NAME_, VALUE_) VALUES ('version', ?)", VERSION);
  }

  private static void execute(Connection connection, String sql, String... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
