package cn.gov.county.huiqi.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a person submits on a Camunda Form, checked as form-js checks them in the browser: a
 * request sent past Tasklist is held to the same rules (issue 9, item 6: required facts are required).
 *
 * <p>For each input the form shows (its {@code conditional.hide} false on the submitted values over
 * the case's own): required, the offered options (static {@code values} or a {@code valuesKey}
 * variable), number bounds, lengths and patterns. Conditions use the small FEEL subset the forms use:
 * {@code =a != "x" or b = "y"} ({@code and}/{@code or}, no brackets); a test in tests/process keeps the
 * forms inside it. One rule reaches across fields: an amount to pay is never above the approved one (R19).
 */
final class FormValues {

  private static final Pattern TERM = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9]*)\\s*(!=|=)\\s*\"([^\"]*)\"\\s*");
  private static final Set<String> INPUTS =
      Set.of("textfield", "textarea", "number", "datetime", "select", "radio", "checkbox", "checklist", "taglist");

  private final ObjectMapper json = new ObjectMapper();
  private final Function<String, Object> current;

  /** {@code current}: the case's value of a variable (null when it has none). */
  FormValues(Function<String, Object> current) {
    this.current = current;
  }

  /** The first problem with the submitted values, in words; null when there is none. */
  String problem(JsonNode form, JsonNode submitted) throws IOException {
    for (JsonNode component : inputs(form)) {
      String key = component.path("key").asText();
      if (hidden(component, submitted)) {
        continue;
      }
      String label = component.path("label").asText(key);
      JsonNode given = submitted.path(key).path("value");
      if (given.isMissingNode()) { // not sent: the form shows the case's value and would submit it as it is
        Object now = current.apply(key);
        given = now == null ? given : json.getNodeFactory().textNode(String.valueOf(now));
        if (now != null && !String.valueOf(now).isBlank()) {
          continue;
        }
      }
      boolean empty = given.isMissingNode() || given.isNull() || given.isTextual() && given.asText().isBlank()
          || given.isArray() && given.isEmpty();
      JsonNode validate = component.path("validate");
      if (empty) {
        if (validate.path("required").asBoolean(false)) {
          return "请填写 “" + label + "”。";
        }
        continue;
      }
      String problem = checkValue(component, label, given, validate);
      if (problem != null) {
        return problem;
      }
    }
    return notAboveApproved(submitted);
  }

  private String checkValue(JsonNode component, String label, JsonNode given, JsonNode validate) throws IOException {
    String type = component.path("type").asText();
    if (Set.of("radio", "select", "checklist", "taglist").contains(type)) {
      Set<String> offered = options(component);
      List<JsonNode> chosen = new ArrayList<>();
      if (given.isArray()) {
        given.forEach(chosen::add);
      } else if (given.isTextual() && given.asText().startsWith("[")) {
        json.readTree(given.asText()).forEach(chosen::add);
      } else {
        chosen.add(given);
      }
      for (JsonNode one : chosen) {
        if (!offered.contains(one.asText())) {
          return "“" + label + "” 不能取值 “" + one.asText() + "”：请从表单提供的选项中选择。";
        }
      }
      return null;
    }
    if ("number".equals(type)) {
      double number;
      try {
        number = given.isNumber() ? given.asDouble() : Double.parseDouble(given.asText());
      } catch (NumberFormatException notNumber) {
        return "“" + label + "” 应为数字。";
      }
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        return "“" + label + "” 应为数字。";
      }
      if (validate.has("min") && number < validate.path("min").asDouble()) {
        return "“" + label + "” 不能小于 " + validate.path("min").asText() + "。";
      }
      if (validate.has("max") && number > validate.path("max").asDouble()) {
        return "“" + label + "” 不能大于 " + validate.path("max").asText() + "。";
      }
      return null;
    }
    String text = given.asText();
    if ("datetime".equals(type) && "date".equals(component.path("subtype").asText("date"))) {
      try {
        java.time.LocalDate.parse(text);
      } catch (java.time.format.DateTimeParseException notDate) {
        return "“" + label + "” 应为日期（年-月-日）。";
      }
      return null;
    }
    if (validate.has("minLength") && text.codePointCount(0, text.length()) < validate.path("minLength").asInt()) {
      return "“" + label + "” 至少 " + validate.path("minLength").asInt() + " 个字。";
    }
    if (validate.has("maxLength") && text.codePointCount(0, text.length()) > validate.path("maxLength").asInt()) {
      return "“" + label + "” 不能超过 " + validate.path("maxLength").asInt() + " 个字。";
    }
    if (validate.has("pattern") && !Pattern.compile(validate.path("pattern").asText()).matcher(text).find()) {
      return "“" + label + "” 的格式不正确。";
    }
    return null;
  }

  /** The values a radio, select or checklist offers: its own, or those of its {@code valuesKey} variable. */
  private Set<String> options(JsonNode component) throws IOException {
    Set<String> offered = new HashSet<>();
    JsonNode values = component.path("values");
    if (component.hasNonNull("valuesKey")) {
      Object variable = current.apply(component.get("valuesKey").asText());
      values = variable == null ? json.createArrayNode() : json.readTree(String.valueOf(variable));
    }
    for (JsonNode value : values) {
      offered.add(value.isObject() ? value.path("value").asText() : value.asText());
    }
    return offered;
  }

  /** Whether the component's hide condition holds on the submitted values over the case's own. */
  boolean hidden(JsonNode component, JsonNode submitted) {
    String condition = component.path("conditional").path("hide").asText("");
    if (condition.isBlank()) {
      return false;
    }
    String expression = condition.startsWith("=") ? condition.substring(1) : condition;
    for (String alternative : expression.split(" or ")) {
      boolean all = true;
      for (String part : alternative.split(" and ")) {
        Matcher term = TERM.matcher(part);
        if (!term.matches()) {
          return true; // outside the subset: the field is not required here (a test keeps the forms inside it)
        }
        String value = valueOf(term.group(1), submitted);
        boolean equal = term.group(3).equals(value);
        all &= "=".equals(term.group(2)) == equal;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private String valueOf(String name, JsonNode submitted) {
    JsonNode given = submitted.path(name).path("value");
    if (!given.isMissingNode()) {
      return given.isNull() ? null : given.asText();
    }
    Object now = current.apply(name);
    return now == null ? null : String.valueOf(now);
  }

  /** R19: the finance bureau never pays more than the department approved. */
  private String notAboveApproved(JsonNode submitted) {
    JsonNode paid = submitted.path("disbursedAmount").path("value");
    Object approved = current.apply("approvedAmount");
    if (paid.isMissingNode() || paid.isNull() || approved == null) {
      return null;
    }
    try {
      if (Double.parseDouble(paid.asText()) > Double.parseDouble(String.valueOf(approved)) + 1e-9) {
        return "拨付金额 " + paid.asText() + " 元超过部门核定金额 " + approved + " 元（R19）。";
      }
    } catch (NumberFormatException notNumber) {
      return "“拨付金额（元）” 应为数字。";
    }
    return null;
  }

  private static List<JsonNode> inputs(JsonNode form) {
    List<JsonNode> found = new ArrayList<>();
    List<JsonNode> pending = new ArrayList<>();
    form.path("components").forEach(pending::add);
    while (!pending.isEmpty()) {
      JsonNode component = pending.remove(pending.size() - 1);
      component.path("components").forEach(pending::add);
      boolean readOnly = component.path("disabled").asBoolean(false) || component.path("readonly").asBoolean(false);
      if (component.hasNonNull("key") && INPUTS.contains(component.path("type").asText()) && !readOnly) {
        found.add(component);
      }
    }
    return found;
  }
}
