package cn.gov.county.huiqi.engine;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * The facts Tasklist shows on each task of a list (issue 13: the application number, the enterprise and the
 * policy), copied onto the task itself when it is created.
 *
 * <p>Tasklist fetches a list's variables with the engine's variable query, which lets a user read a process
 * variable only with READ on the whole case (or on every case of the process): a department must not have that
 * (other departments' cases). A variable of the task itself is readable by whoever may read the task, that is,
 * its candidate group. So each user task carries its own copy of these three, and nothing more.
 */
@Component
public class TaskListFacts extends AbstractProcessEnginePlugin {

  /** The variables the Tasklist filters list (domain/engine/identity.py, FILTER_COLUMNS). */
  static final List<String> SHOWN = List.of("applicationNumber", "enterpriseName", "policyName");

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<BpmnParseListener> listeners =
        configuration.getCustomPostBPMNParseListeners() == null
            ? new ArrayList<>()
            : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
    listeners.add(new AbstractBpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior behavior) {
          behavior.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_CREATE, TaskListFacts::copy);
        }
      }
    });
    configuration.setCustomPostBPMNParseListeners(listeners);
  }

  /** Copy the shown facts the case has onto the new task (a fact the case does not have yet is left out). */
  static void copy(DelegateTask task) {
    for (String name : SHOWN) {
      Object value = task.getExecution() == null ? null : task.getExecution().getVariable(name);
      if (value != null) {
        task.setVariableLocal(name, value);
      }
    }
  }
}
