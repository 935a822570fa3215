// 办理时效 — the managers' Cockpit plugin (issue 13, item 3). Plain JavaScript, no build step: Cockpit 7.24 imports
// this ES module from /camunda/api/cockpit/plugin/huiqi-timeliness/static/app/plugin.js and calls render() for each
// plugin point below. Every figure comes from the engine (cn.gov.county.huiqi.engine.timeliness.TimelinessFigures,
// through this plugin's resource, with the manager's own session): nothing is counted here, only shown.

const PLUGIN_ID = 'huiqi-timeliness';
const ROUTE = '/huiqi-timeliness';

const PERIODS = [
  { id: 'month', label: '本月' },
  { id: 'lastMonth', label: '上月' },
  { id: 'year', label: '本年' },
  { id: 'all', label: '全部' }
];

const ACTIVITY_TYPES = {
  userTask: '人工任务',
  serviceTask: '服务任务',
  sendTask: '发送任务',
  receiveTask: '接收任务',
  scriptTask: '脚本任务',
  businessRuleTask: '规则任务',
  callActivity: '调用活动',
  subProcess: '子流程',
  intermediateTimer: '定时等待',
  intermediateMessageCatch: '等待消息',
  intermediateSignalCatch: '等待信号',
  intermediateConditional: '条件等待',
  eventBasedGateway: '事件网关'
};

// -- small DOM helpers ------------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2).toLowerCase(), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// -- periods and numbers ----------------------------------------------------------------------------------------

function pad(number) {
  return String(number).padStart(2, '0');
}

/** The period parameter for a choice, on the browser's calendar: "2026-11", "2026" or null (all time). */
export function periodParameter(choice, today = new Date()) {
  const year = today.getFullYear();
  const month = today.getMonth() + 1;
  if (choice === 'month') return `${year}-${pad(month)}`;
  if (choice === 'lastMonth') return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
  if (choice === 'year') return String(year);
  return null;
}

function describePeriod(period) {
  if (!period) return '全部期间';
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `${month[1]} 年 ${Number(month[2])} 月`;
  return `${period} 年`;
}

function number(value) {
  return value === null || value === undefined ? '—' : String(value);
}

function decimal(value, digits = 1) {
  return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
}

function percent(value) {
  return value === null || value === undefined ? '—' : `${Number(value).toFixed(1)}%`;
}

/** "2026-11-20T23:59:59.000+0800" → "2026-11-20 23:59" (as the engine wrote it, in its time zone). */
function dateTime(value) {
  if (!value) return '—';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  return match ? `${match[1]} ${match[2]}` : value;
}

function known(value) {
  return value !== null && value !== undefined;
}

/** How long a step takes on average: working days for people's tasks, hours or minutes for the rest. */
function duration(step) {
  if (step.activityType === 'userTask' && known(step.averageWorkingDays)) {
    return `${decimal(step.averageWorkingDays)} 个工作日`;
  }
  if (!known(step.averageHours)) return null;
  if (step.averageHours * 60 < 1) return '不到 1 分钟';
  if (step.averageHours < 1) return `${Math.round(step.averageHours * 60)} 分钟`;
  return `${decimal(step.averageHours)} 小时`;
}

/** Automatic steps done at once, with none open: no badge on the diagram (the tab lists them). */
function instant(step) {
  return step.activityType !== 'userTask' && !step.open && (!known(step.averageHours) || step.averageHours * 60 < 1);
}

// -- the plugin's resource --------------------------------------------------------------------------------------

/** An answer the page explains instead of showing: a refusal (403…), the engine unreachable, a broken answer. */
class FiguresError extends Error {
  constructor(kind, message, status) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

// Cockpit gives api.engine from the page's address; for diagram plugins 7.24 passes the whole address instead (it
// does not tell its helper the app's name), so the engine's name is read from the address here when that happens.
function engineName(api) {
  if (api.engine && /^[\w-]+$/.test(api.engine)) return api.engine;
  const match = /\/app\/cockpit\/([\w-]+)\//.exec(window.location.pathname);
  return match ? match[1] : 'default';
}

function resourceUrl(api, path, parameters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return `${api.cockpitApi}/plugin/${PLUGIN_ID}/${engineName(api)}/${path}${text ? `?${text}` : ''}`;
}

async function fetchFigures(api, path, parameters) {
  let response;
  try {
    response = await fetch(resourceUrl(api, path, parameters), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-XSRF-TOKEN': api.CSRFToken || '' }
    });
  } catch (error) {
    throw new FiguresError('network', '无法连接流程引擎：请检查网络或稍后重试。');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  if (response.ok && body) return body;
  const message = body && body.message ? body.message : '';
  const status = response.status;
  if (status === 403) throw new FiguresError('forbidden', message, status);
  if (status === 401) throw new FiguresError('login', message || '登录已过期，请重新登录。', status);
  if (status === 503) throw new FiguresError('unavailable', message, status);
  if (status === 400) throw new FiguresError('request', message, status);
  if (response.ok) throw new FiguresError('server', '流程引擎的答复无法读取。', status);
  throw new FiguresError('server', message || `流程引擎出错（HTTP ${status}）。`, status);
}

// -- messages instead of an empty page ---------------------------------------------------------------------------

const TITLES = {
  forbidden: '您没有查看办理时效统计的权限',
  login: '需要重新登录',
  unavailable: '办理时效统计暂不可用',
  request: '请求有误',
  network: '无法连接流程引擎',
  server: '办理时效统计加载失败'
};

const ADVICE = {
  forbidden: '请联系系统管理员在 Admin（授权 → 流程定义）中为您或您所在的组授予该权限。',
  login: '请刷新页面后重新登录 Cockpit。',
  unavailable: '请联系系统管理员完成参考数据部署后再查看。',
  network: '请检查网络后点“重试”。',
  server: '请稍后点“重试”；问题持续时请联系系统管理员。'
};

function problem(error, retry) {
  const kind = error instanceof FiguresError ? error.kind : 'server';
  const message = error instanceof FiguresError ? error.message : '页面出错，统计未能显示。';
  const alertClass = kind === 'forbidden' || kind === 'login' ? 'alert-warning' : 'alert-danger';
  return el(
    'div',
    { className: `alert ${alertClass} huiqi-tl-problem`, role: 'alert', 'data-problem': kind },
    el('strong', {}, `${TITLES[kind] || TITLES.server}。`),
    message ? el('span', { className: 'huiqi-tl-problem-message' }, message) : null,
    ADVICE[kind] ? el('div', { className: 'huiqi-tl-advice' }, ADVICE[kind]) : null,
    retry && kind !== 'forbidden' && kind !== 'login'
      ? el('button', { type: 'button', className: 'btn btn-default btn-sm', onclick: retry }, '重试')
      : null
  );
}

function loading() {
  return el('p', { className: 'huiqi-tl-loading' }, '正在加载办理时效统计…');
}

function periodSelector(current, choose) {
  return el(
    'div',
    { className: 'btn-group huiqi-tl-periods', role: 'group', 'aria-label': '统计期间' },
    PERIODS.map((period) =>
      el(
        'button',
        {
          type: 'button',
          className: `btn btn-default btn-sm${period.id === current ? ' active' : ''}`,
          'aria-pressed': period.id === current ? 'true' : 'false',
          'data-period': period.id,
          onclick: () => choose(period.id)
        },
        period.label
      )
    )
  );
}

// -- the figures per unit (dashboard and its own page) ----------------------------------------------------------

const COLUMNS = [
  ['unit', '单位'],
  ['received', '受理'],
  ['open', '在办'],
  ['finished', '办结'],
  ['onTime', '按时率'],
  ['overdue', '超期'],
  ['escalations', '超期预警'],
  ['extensions', '延期'],
  ['stages', '各环节平均工作日']
];

const NUMBER_COLUMNS = new Set(['received', 'open', 'finished', 'onTime', 'overdue', 'escalations', 'extensions']);

/** A unit with nothing to show in the period: shown, dimmed, so the county's order stays whole. */
function idle(unit) {
  return !unit.received && !unit.open && !unit.finished && !unit.tasksDone && !unit.overdueCount &&
    !unit.escalations && !unit.extensions;
}

function stagesCell(stages) {
  const entries = Object.entries(stages || {});
  if (!entries.length) return el('td', { 'data-column': 'stages', className: 'huiqi-tl-muted' }, '—');
  return el(
    'td',
    { 'data-column': 'stages' },
    el(
      'ul',
      { className: 'huiqi-tl-stages' },
      entries.map(([stage, days]) =>
        el('li', { 'data-stage': stage }, el('span', {}, stage), ' ', el('b', {}, decimal(days)))
      )
    )
  );
}

function unitRow(unit) {
  const onTimeTitle = unit.tasksDone
    ? `按时办结 ${unit.tasksOnTime} 件 / 有期限的办结 ${unit.tasksDone} 件`
    : '本期没有有期限的办结任务';
  const overdue = unit.overdueCount || 0;
  return el(
    'tr',
    { 'data-unit': unit.group, className: idle(unit) ? 'huiqi-tl-idle' : null },
    el('th', { scope: 'row', 'data-column': 'unit' }, unit.name),
    el('td', { 'data-column': 'received', className: 'huiqi-tl-number' }, number(unit.received)),
    el('td', { 'data-column': 'open', className: 'huiqi-tl-number' }, number(unit.open)),
    el('td', { 'data-column': 'finished', className: 'huiqi-tl-number' }, number(unit.finished)),
    el('td', { 'data-column': 'onTime', className: 'huiqi-tl-number', title: onTimeTitle }, percent(unit.onTimePercent)),
    el(
      'td',
      { 'data-column': 'overdue', className: `huiqi-tl-number${overdue ? ' huiqi-tl-late' : ''}` },
      overdue ? el('a', { href: `#huiqi-tl-overdue-${unit.group}`, onclick: jumpTo(unit.group) }, String(overdue)) : '0'
    ),
    el('td', { 'data-column': 'escalations', className: 'huiqi-tl-number' }, number(unit.escalations)),
    el('td', { 'data-column': 'extensions', className: 'huiqi-tl-number' }, number(unit.extensions)),
    stagesCell(unit.workingDaysByStage)
  );
}

// Cockpit's router owns location.hash: scroll to the unit's overdue list without touching it.
function jumpTo(group) {
  return (event) => {
    event.preventDefault();
    const target = document.getElementById(`huiqi-tl-overdue-${group}`);
    if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
}

function overdueList(units) {
  const late = units.filter((unit) => unit.overdueCount > 0);
  if (!late.length) {
    return el('p', { className: 'huiqi-tl-none', 'data-overdue': 'none' }, '目前没有超期的任务。');
  }
  return el(
    'div',
    { className: 'huiqi-tl-overdue' },
    late.map((unit) =>
      el(
        'section',
        { id: `huiqi-tl-overdue-${unit.group}`, 'data-overdue-unit': unit.group },
        el('h4', {}, `${unit.name}：超期 ${unit.overdueCount} 件`),
        el(
          'ul',
          {},
          (unit.overdue || []).map((task) =>
            el(
              'li',
              { 'data-instance': task.processInstanceId },
              el(
                'a',
                { href: `#/process-instance/${encodeURIComponent(task.processInstanceId)}/runtime` },
                task.applicationNumber || task.processInstanceId
              ),
              ` ${task.taskName || ''}，期限 ${dateTime(task.due)}`
            )
          )
        ),
        unit.overdueCount > (unit.overdue || []).length
          ? el('p', { className: 'huiqi-tl-muted' }, `另有 ${unit.overdueCount - unit.overdue.length} 件未列出（只列超期最久的 ${unit.overdue.length} 件）。`)
          : null
      )
    )
  );
}

function notes(figures) {
  const lines = [];
  if (figures.calendarGaps && figures.calendarGaps.length) {
    lines.push(`缺少 ${figures.calendarGaps.join('、')} 年的官方工作日历，这些年份的工作日数无法计算，未计入平均值。`);
  }
  if (figures.provisionalYears && figures.provisionalYears.length) {
    lines.push(`${figures.provisionalYears.join('、')} 年的工作日历为暂定（国务院办公厅尚未公布当年节假日安排）。`);
  }
  if (!lines.length) return null;
  return el('div', { className: 'alert alert-info huiqi-tl-notes' }, lines.map((line) => el('div', {}, line)));
}

function figuresView(figures) {
  const units = figures.units || [];
  return el(
    'div',
    { className: 'huiqi-tl-figures', 'data-period': figures.period || 'all' },
    el(
      'p',
      { className: 'huiqi-tl-caption' },
      `统计期间：${describePeriod(figures.period)}；超期按 ${dateTime(figures.now)} 计。`
    ),
    notes(figures),
    units.length
      ? el(
          'table',
          { className: 'table table-condensed table-hover huiqi-tl-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              COLUMNS.map(([id, label]) =>
                el('th', { 'data-column': id, className: NUMBER_COLUMNS.has(id) ? 'huiqi-tl-number' : null }, label)
              )
            )
          ),
          el('tbody', {}, units.map(unitRow))
        )
      : el('p', { className: 'huiqi-tl-none' }, '尚无单位的统计数据。'),
    el('h3', { className: 'huiqi-tl-subtitle' }, '超期任务'),
    overdueList(units),
    el(
      'p',
      { className: 'huiqi-tl-legend huiqi-tl-muted' },
      '受理：本期开始办理的申请（专窗为全部，部门为转到本部门的）；在办：尚未统一反馈结果的；办结：本期办结的；' +
        '按时率：本期办结的有期限任务中按时完成的比例；超期预警：本期到期仍未办完的任务；延期：经批准延长期限的次数；' +
        '各环节平均工作日按官方工作日历计算。'
    )
  );
}

function renderUnits(node, api) {
  let choice = 'month';
  let generation = 0;
  const root = el('div', { className: 'huiqi-tl', 'data-plugin': PLUGIN_ID });
  const body = el('div', { className: 'huiqi-tl-body' });
  const toolbar = el('div', { className: 'huiqi-tl-toolbar' });
  root.appendChild(
    el('header', { className: 'huiqi-tl-header' }, el('h2', { className: 'huiqi-tl-title' }, '各单位办理时效'), toolbar)
  );
  root.appendChild(body);
  clear(node);
  node.appendChild(root);

  async function load() {
    const mine = ++generation;
    clear(toolbar);
    toolbar.appendChild(periodSelector(choice, choose));
    clear(body);
    body.appendChild(loading());
    let content;
    try {
      content = figuresView(await fetchFigures(api, 'figures', { period: periodParameter(choice) }));
    } catch (error) {
      content = problem(error, load);
    }
    if (mine !== generation) return; // a later choice is on its way
    clear(body);
    body.appendChild(content);
  }

  function choose(period) {
    choice = period;
    load();
  }

  load();
}

// -- the time spent at each step (process definition) ----------------------------------------------------------

function stepsTable(result) {
  const steps = result.steps || [];
  if (!steps.length) return el('p', { className: 'huiqi-tl-none' }, '本期没有经过任何环节的记录。');
  return el(
    'table',
    { className: 'table table-condensed table-hover huiqi-tl-table huiqi-tl-steps' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, '环节'),
        el('th', {}, '类型'),
        ['已完成', '在办', '平均工作日', '平均用时（小时）'].map((label) => el('th', { className: 'huiqi-tl-number' }, label))
      )
    ),
    el(
      'tbody',
      {},
      steps.map((step) =>
        el(
          'tr',
          { 'data-activity': step.activityId },
          el('th', { scope: 'row' }, step.activityName || step.activityId),
          el('td', {}, ACTIVITY_TYPES[step.activityType] || step.activityType || '—'),
          el('td', { className: 'huiqi-tl-number', 'data-column': 'finished' }, number(step.finished)),
          el('td', { className: 'huiqi-tl-number', 'data-column': 'open' }, number(step.open)),
          el('td', { className: 'huiqi-tl-number', 'data-column': 'days' }, decimal(step.averageWorkingDays)),
          el('td', { className: 'huiqi-tl-number', 'data-column': 'hours' }, decimal(step.averageHours))
        )
      )
    )
  );
}

function renderStepsTab(node, api, processDefinitionId) {
  let choice = 'all';
  let generation = 0;
  const toolbar = el('div', { className: 'huiqi-tl-toolbar' });
  const body = el('div', { className: 'huiqi-tl-body' });
  clear(node);
  node.appendChild(
    el(
      'div',
      { className: 'huiqi-tl huiqi-tl-tab', 'data-plugin': PLUGIN_ID },
      el('header', { className: 'huiqi-tl-header' }, el('p', { className: 'huiqi-tl-caption' }, '各环节用时（该流程所有版本）'), toolbar),
      body
    )
  );

  async function load() {
    const mine = ++generation;
    clear(toolbar);
    toolbar.appendChild(periodSelector(choice, (period) => ((choice = period), load())));
    clear(body);
    body.appendChild(loading());
    let content;
    try {
      const period = periodParameter(choice);
      const result = await fetchFigures(api, 'steps', { processDefinitionId, period });
      content = el('div', {}, el('p', { className: 'huiqi-tl-muted' }, `统计期间：${describePeriod(result.period)}`), stepsTable(result));
    } catch (error) {
      content = problem(error, load);
    }
    if (mine !== generation) return;
    clear(body);
    body.appendChild(content);
  }

  load();
}

function badge(step) {
  const shown = duration(step);
  const title =
    `${step.activityName || step.activityId}：已完成 ${number(step.finished)} 次，在办 ${number(step.open)} 件` +
    (shown ? `，平均 ${shown}` : '') +
    (known(step.averageHours) ? `（${decimal(step.averageHours)} 小时）` : '');
  const parts = [];
  if (shown) parts.push(`均 ${shown}`);
  if (step.open) parts.push(`在办 ${step.open}`);
  return el(
    'div',
    { className: 'huiqi-tl-badge', title, 'data-activity': step.activityId },
    parts.length ? parts.join(' · ') : '尚无完成'
  );
}

function renderDiagramOverlay(viewer, api, processDefinitionId) {
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const container = viewer.get('canvas').getContainer();
  const note = el('div', { className: 'huiqi-tl-diagram-note', 'data-plugin': PLUGIN_ID }, '正在加载各环节用时…');
  container.appendChild(note);

  fetchFigures(api, 'steps', { processDefinitionId })
    .then((result) => {
      let shown = 0;
      for (const step of result.steps || []) {
        if (!registry.get(step.activityId) || instant(step)) continue; // another version's step; an instant one
        // Above the step's top right corner (boundary timers and Cockpit's own counts sit lower left); never shrunk
        // below its own size, so it stays readable while the whole diagram is in view.
        overlays.add(step.activityId, 'huiqi-timeliness', {
          position: { top: -20, right: 0 },
          scale: { min: 1 },
          html: badge(step)
        });
        shown += 1;
      }
      note.textContent = shown
        ? '图中蓝色标注：各环节平均用时与在办数（该流程所有版本、全部期间；人工任务按工作日计，明细见“环节用时”）'
        : '该流程尚无各环节用时的记录。';
    })
    .catch((error) => {
      clear(note);
      note.classList.add('huiqi-tl-diagram-problem');
      note.appendChild(problem(error, null));
    });
}

// -- plugin points ------------------------------------------------------------------------------------------------

export default [
  {
    id: 'huiqi-timeliness-dashboard',
    pluginPoint: 'cockpit.dashboard',
    priority: 100,
    render: (node, { api }) => renderUnits(node, api),
    properties: { label: '办理时效' }
  },
  {
    id: 'huiqi-timeliness-navigation',
    pluginPoint: 'cockpit.navigation',
    priority: 100,
    render: (node) => {
      node.appendChild(el('a', { href: `#${ROUTE}` }, '办理时效'));
    },
    properties: { path: ROUTE, label: '办理时效', checkActive: (url) => url.indexOf(`#${ROUTE}`) !== -1 }
  },
  {
    id: 'huiqi-timeliness-page',
    pluginPoint: 'cockpit.route',
    priority: 100,
    render: (node, { api }) => renderUnits(node, api),
    properties: { path: ROUTE, label: '办理时效' }
  },
  {
    id: 'huiqi-timeliness-steps-tab',
    pluginPoint: 'cockpit.processDefinition.runtime.tab',
    priority: 5,
    render: (node, { api, processDefinitionId }) => renderStepsTab(node, api, processDefinitionId),
    properties: { label: '环节用时' }
  },
  {
    id: 'huiqi-timeliness-diagram',
    pluginPoint: 'cockpit.processDefinition.diagram.plugin',
    priority: 5,
    render: (viewer, { api, processDefinitionId }) => renderDiagramOverlay(viewer, api, processDefinitionId)
  }
];
