package cn.gov.county.huiqi.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A user task accepts exactly the fields of its own deployed form, and a start, those of its start
 * form — through Tasklist and through the REST API alike (issue 11: variables cannot be forged).
 *
 * <p>A field the form shows read-only may come back only with the value it already has. Setting a
 * task's variables directly is refused to people. The service account (the web UI and the workers,
 * group {@code huiqi-services}) is not held to the forms: it starts cases with the application's data.
 */
public class FormFieldGuard extends OncePerRequestFilter {

  private static final Logger LOG = LoggerFactory.getLogger(FormFieldGuard.class);
  static final String SERVICE_GROUP = "huiqi-services";
  private static final Pattern TASK_SUBMIT = Pattern.compile(".*/task/([^/]+)/(complete|submit-form|resolve)$");
  private static final Pattern TASK_VARIABLES = Pattern.compile(".*/task/[^/]+/(variables|localVariables)(/.*)?$");
  private static final Pattern START =
      Pattern.compile(".*/process-definition/(?:key/([^/]+)(?:/tenant-id/[^/]+)?|([^/]+))/(start|submit-form)$");

  private final ProcessEngine engine;
  private final ObjectMapper json = new ObjectMapper();
  private final RecentStarts recentStarts = new RecentStarts(java.time.Duration.ofSeconds(60));

  public FormFieldGuard(ProcessEngine engine) {
    this.engine = engine;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = routedPath(request);
    String method = request.getMethod();
    Matcher task = TASK_SUBMIT.matcher(path);
    Matcher start = START.matcher(path);
    boolean variables = TASK_VARIABLES.matcher(path).matches() && !"GET".equals(method);
    if (!"POST".equals(method) && !variables || !(task.matches() || start.matches() || variables)) {
      chain.doFilter(request, response);
      return;
    }
    IdentityService identity = engine.getIdentityService();
    String user = userOf(request, identity);
    if (user == null || isService(identity, user)) { // unauthenticated: the API refuses it itself
      chain.doFilter(request, response);
      return;
    }
    if (variables) {
      refuse(request, user, response, 403, "不能直接修改任务的流程变量，请通过任务表单办理。");
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    String problem;
    try {
      problem = task.matches() ? checkTask(task.group(1), body) : checkStart(start.group(1), start.group(2), body);
    } catch (RuntimeException unknown) {
      problem = null; // no such task or definition: the REST API answers that itself
    }
    if (problem != null) {
      refuse(request, user, response, 400, problem);
      return;
    }
    if (start.matches() && !recentStarts.firstTime(user + "|" + path, body)) {
      refuse(request, user, response, 409, "相同的申请刚刚已经提交（重复点击或重试）：未再次启动，请在任务列表中查看已受理的申请。");
      return;
    }
    chain.doFilter(new CachedBody(request, body), response);
  }

  /**
   * The path as the REST API routes it: decoded, path parameters ({@code ;…}) dropped, repeated and trailing
   * slashes removed, so that {@code %63omplete}, {@code complete;x=1} and {@code complete/} are checked like
   * {@code complete} (issue 11: the raw request URI let such spellings past the guard).
   */
  static String routedPath(HttpServletRequest request) {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    path = path.replaceAll(";[^/]*", "").replaceAll("/{2,}", "/");
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  /** The engine user of the request: REST basic authentication, or the staff webapps' session login. */
  private String userOf(HttpServletRequest request, IdentityService identity) {
    Authentication rest = identity.getCurrentAuthentication();
    if (rest != null) {
      return rest.getUserId();
    }
    HttpSession session = request.getSession(false);
    Authentications webapps = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
    if (webapps == null) {
      return null;
    }
    org.camunda.bpm.webapp.impl.security.auth.Authentication login =
        webapps.getAuthenticationForProcessEngine(engine.getName());
    return login == null ? null : login.getIdentityId();
  }

  private String checkTask(String taskId, byte[] body) throws IOException {
    JsonNode form = withoutAuthentication(() -> read(engine.getFormService().getDeployedTaskForm(taskId)));
    return check(body, form, name -> engine.getTaskService().getVariable(taskId, name));
  }

  private String checkStart(String key, String id, byte[] body) throws IOException {
    String definitionId = id != null ? id : withoutAuthentication(() -> engine.getRepositoryService()
        .createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult().getId());
    JsonNode form = withoutAuthentication(() -> read(engine.getFormService().getDeployedStartForm(definitionId)));
    return check(body, form, name -> null);
  }

  /**
   * The first problem with the submission, in words (a variable that is not an editable field of the form,
   * a changed read-only field, a value the form would refuse); null when none.
   */
  private String check(byte[] body, JsonNode form, java.util.function.Function<String, Object> variable)
      throws IOException {
    java.util.function.Function<String, Object> current = name -> withoutAuthentication(() -> variable.apply(name));
    JsonNode submitted = body.length == 0 ? json.createObjectNode() : json.readTree(body).path("variables");
    String problem = checkNames(submitted, fields(form), current);
    return problem != null ? problem : new FormValues(current).problem(form, submitted);
  }

  private String checkNames(JsonNode submitted, Map<String, Boolean> fields,
      java.util.function.Function<String, Object> current) {
    for (Iterator<Map.Entry<String, JsonNode>> it = submitted.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> variable = it.next();
      String name = variable.getKey();
      Boolean editable = fields.get(name);
      if (editable == null) {
        return "表单中没有字段 “" + name + "”：只能提交本任务表单中的字段。";
      }
      if (!editable) {
        JsonNode value = variable.getValue().path("value");
        Object now = current.apply(name);
        String given = value.isNull() || value.isMissingNode() ? null : value.asText();
        if (!Objects.equals(given, now == null ? null : String.valueOf(now))) {
          return "字段 “" + name + "” 只读，不能修改。";
        }
      }
    }
    return null;
  }

  private JsonNode read(InputStream form) {
    try (InputStream in = form) {
      return json.readTree(in);
    } catch (IOException unreadable) {
      throw new IllegalStateException(unreadable);
    }
  }

  /** Field key → editable (false: shown read-only), over the form's components and their nested ones. */
  private static Map<String, Boolean> fields(JsonNode form) {
    Map<String, Boolean> fields = new HashMap<>();
    Deque<JsonNode> pending = new ArrayDeque<>();
    form.path("components").forEach(pending::add);
    while (!pending.isEmpty()) {
      JsonNode component = pending.pop();
      component.path("components").forEach(pending::add);
      if (component.hasNonNull("key")) {
        boolean readOnly = component.path("disabled").asBoolean(false) || component.path("readonly").asBoolean(false);
        fields.merge(component.get("key").asText(), !readOnly, Boolean::logicalOr);
      }
    }
    return fields;
  }

  private boolean isService(IdentityService identity, String user) {
    return withoutAuthentication(() -> identity.createGroupQuery().groupMember(user).list().stream()
        .map(Group::getId).anyMatch(SERVICE_GROUP::equals));
  }

  private <T> T withoutAuthentication(java.util.function.Supplier<T> work) {
    IdentityService identity = engine.getIdentityService();
    Authentication saved = identity.getCurrentAuthentication();
    identity.clearAuthentication();
    try {
      return work.get();
    } finally {
      if (saved != null) {
        identity.setAuthentication(saved);
      }
    }
  }

  /** Answer the refusal, and keep it in the engine's log with who asked and what (issue 11: refusals recorded). */
  private void refuse(HttpServletRequest request, String user, HttpServletResponse response, int status,
      String message) throws IOException {
    LOG.warn("表单字段守卫拒绝：用户 {} {} {} → {}：{}", user, request.getMethod(), request.getRequestURI(), status,
        message);
    response.setStatus(status);
    response.setContentType("application/json;charset=UTF-8");
    Map<String, String> answer = Map.of("type", status == 403 ? "AuthorizationException"
        : status == 409 ? "DuplicateStartException" : "InvalidRequestException",
        "message", message);
    response.getOutputStream().write(json.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8));
  }

  /** The request with its body read once and handed on again. */
  private static final class CachedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }
      };
    }
  }
}
