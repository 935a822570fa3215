package cn.gov.county.huiqi.engine.cockpit;

import cn.gov.county.huiqi.engine.timeliness.FiguresForbidden;
import cn.gov.county.huiqi.engine.timeliness.FiguresUnavailable;
import cn.gov.county.huiqi.engine.timeliness.TimelinessFigures;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.camunda.bpm.cockpit.plugin.resource.AbstractCockpitPluginResource;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.repository.ProcessDefinition;

/**
 * The figures as the Cockpit user may read them: the session's user and groups go to {@link TimelinessFigures},
 * which checks READ_HISTORY itself. Refusals are JSON {@code {"type", "message"}} with a Chinese message the page
 * shows as it is: 400 (a malformed period, an unknown process), 401 (no login), 403 (a permission missing, named),
 * 503 (the county's reference data not deployed yet).
 */
@Produces(MediaType.APPLICATION_JSON)
public class TimelinessPluginResource extends AbstractCockpitPluginResource {

  public TimelinessPluginResource(String engineName) {
    super(engineName);
  }

  /** {@code figures?period=2026-11}: per unit (received, open, on time, overdue…); no period: all time. */
  @GET
  @Path("figures")
  public Response figures(@QueryParam("period") String period) {
    return answer((userId, groupIds) -> figuresClass().figures(blankToNull(period), userId, groupIds));
  }

  /**
   * {@code steps?processDefinitionKey=policy_fulfilment&period=}: the time spent at each step (all versions of the
   * key). The diagram knows its definition's id rather than its key: {@code processDefinitionId=} is taken too.
   */
  @GET
  @Path("steps")
  public Response steps(
      @QueryParam("processDefinitionKey") String key,
      @QueryParam("processDefinitionId") String definitionId,
      @QueryParam("period") String period) {
    return answer((userId, groupIds) -> {
      String processKey = blankToNull(key) != null ? key : keyOf(definitionId);
      return figuresClass().steps(processKey, blankToNull(period), userId, groupIds);
    });
  }

  private TimelinessFigures figuresClass() {
    return new TimelinessFigures(getProcessEngine());
  }

  /** The key of a definition the user may read (the engine checks READ on it as the Cockpit user). */
  private String keyOf(String definitionId) {
    if (blankToNull(definitionId) == null) {
      throw new IllegalArgumentException("缺少 processDefinitionKey 或 processDefinitionId：请指明要统计的流程。");
    }
    ProcessDefinition definition;
    try {
      definition = getProcessEngine().getRepositoryService().getProcessDefinition(definitionId);
    } catch (AuthorizationException e) {
      throw e;
    } catch (ProcessEngineException e) {
      throw new IllegalArgumentException("找不到流程定义 " + definitionId + "。");
    }
    return definition.getKey();
  }

  private Response answer(BiFunction<String, List<String>, Map<String, Object>> figures) {
    Authentication user = getCurrentAuthentication();
    if (user == null || user.getUserId() == null) {
      return refusal(Response.Status.UNAUTHORIZED, "NotAuthenticated", "未登录或登录已过期：请重新登录 Cockpit。");
    }
    List<String> groupIds = user.getGroupIds() == null ? List.of() : user.getGroupIds();
    try {
      return Response.ok(figures.apply(user.getUserId(), groupIds)).build();
    } catch (IllegalArgumentException e) {
      return refusal(Response.Status.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    } catch (FiguresForbidden e) {
      return refusal(Response.Status.FORBIDDEN, "AuthorizationException", e.getMessage());
    } catch (AuthorizationException e) {
      return refusal(Response.Status.FORBIDDEN, "AuthorizationException",
          "用户 " + user.getUserId() + " 没有读取该流程定义的权限（READ），请联系系统管理员在 Admin 中授权。");
    } catch (FiguresUnavailable e) {
      return refusal(Response.Status.SERVICE_UNAVAILABLE, "FiguresUnavailable", e.getMessage());
    }
  }

  private static Response refusal(Response.Status status, String type, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("type", type, "message", message == null ? status.getReasonPhrase() : message))
        .build();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
