package cn.gov.county.huiqi.engine.timeliness;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.sql.SQLException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.rest.util.EngineUtil;

/**
 * {@code /engine-rest/huiqi/timeliness}: the figures for the web UI (its dashboard, CSV, monthly report and yearly
 * assessment), as the authenticated REST user may read them. The Cockpit plugin serves the same class.
 */
@Path("/huiqi/timeliness")
@Produces(MediaType.APPLICATION_JSON)
public class TimelinessResource {

  @GET
  public Response figures(@QueryParam("period") String period, @QueryParam("at") String at) {
    ProcessEngine engine = EngineUtil.lookupProcessEngine(null);
    Authentication user = engine.getIdentityService().getCurrentAuthentication();
    return answer(() -> new TimelinessFigures(engine).figures(period, moment(at, engine), userId(user), groups(user)));
  }

  @GET
  @Path("/steps")
  public Response steps(@QueryParam("processDefinitionKey") String key, @QueryParam("period") String period) {
    ProcessEngine engine = EngineUtil.lookupProcessEngine(null);
    Authentication user = engine.getIdentityService().getCurrentAuthentication();
    return answer(() -> new TimelinessFigures(engine).steps(key, period, userId(user), groups(user)));
  }

  /**
   * Count the figures' tables again from the engine's history (an administrator's repair, e.g. after restoring the
   * database from an older backup): the tables are locked meanwhile, so nothing is counted twice or lost.
   */
  @POST
  @Path("/rebuild")
  public Response rebuild() {
    ProcessEngine engine = EngineUtil.lookupProcessEngine(null);
    Authentication user = engine.getIdentityService().getCurrentAuthentication();
    return answer(() -> {
      if (user == null || !groups(user).contains(Groups.CAMUNDA_ADMIN)) {
        throw new FiguresForbidden("只有系统管理员（camunda-admin 组）可以重建办理时效统计。");
      }
      long started = System.nanoTime();
      try {
        TimelinessProjection.rebuild(engine, true);
      } catch (SQLException e) {
        throw new FiguresUnavailable("重建办理时效统计失败：" + e.getMessage());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rebuilt", true);
      result.put("milliseconds", (System.nanoTime() - started) / 1_000_000);
      return result;
    });
  }

  /** The figures as JSON, or the refusal with its reason (400, 403, 503). */
  public static Response answer(Supplier<Map<String, Object>> figures) {
    try {
      return Response.ok(figures.get()).build();
    } catch (IllegalArgumentException e) {
      return refusal(Response.Status.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    } catch (FiguresForbidden e) {
      return refusal(Response.Status.FORBIDDEN, "AuthorizationException", e.getMessage());
    } catch (FiguresUnavailable e) {
      return refusal(Response.Status.SERVICE_UNAVAILABLE, "FiguresUnavailable", e.getMessage());
    }
  }

  private static Response refusal(Response.Status status, String type, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("type", type, "message", message))
        .build();
  }

  /** The moment open tasks are judged overdue at: the caller's clock (an ISO date-time) or the engine's now. */
  private static Date moment(String at, ProcessEngine engine) {
    if (at == null || at.isBlank()) {
      return org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime();
    }
    try {
      return Date.from(OffsetDateTime.parse(at.length() > 40 ? "" : at).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("at 不正确：应为带时区的时间，如 2026-11-28T09:00:00+08:00。");
    }
  }

  private static String userId(Authentication user) {
    return user == null ? null : user.getUserId();
  }

  private static List<String> groups(Authentication user) {
    return user == null || user.getGroupIds() == null ? List.of() : user.getGroupIds();
  }
}
