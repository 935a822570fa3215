// Tasklist configuration for the 惠企政策兑现 one-window service, served instead of the webjar's own
// scripts/config.js (our resources come first on the classpath). The options are described in
// https://docs.camunda.org/manual/7.24/webapps/tasklist/configuration/ — options not set here keep their defaults.
export default {
  // Language: the webapps take the browser's first preferred language (navigator.languages[0]), cut it at the
  // hyphen and lower-case it ("zh-CN" -> "zh"), and load locales/<it>.json when it is listed here; any other
  // language gets fallbackLocale. So every Chinese browser (zh-CN, zh-TW, zh-HK) loads locales/zh.json, and a
  // browser whose first language is English loads en.json. A key missing from zh.json shows its English text
  // (angular-translate's fallbackLanguage), never the raw key.
  locales: {
    availableLocales: ['zh', 'en'],
    fallbackLocale: 'en'
  },

  // No "欢迎使用 Camunda" box on the login page pointing county staff to the /camunda-welcome product tour.
  // (The red "migrate to Camunda 8" strip above the header has no option: 7.24's header widget sets
  // isCommunityEdition = true unconditionally; only CSS in styles/user-styles.css can hide it.)
  disableWelcomeMessage: true,

  // Tasks by due date, overdue first, for everyone who opens Tasklist, not only from the web UI's links
  // (huiqi/due-date-first.js; issue 13).
  customScripts: ['huiqi/due-date-first.js'],

  // The help dialog shows these descriptions as written (they are not translated by locales/*.json).
  shortcuts: {
    claimTask: {
      key: 'ctrl+alt+c',
      description: '认领当前选中的任务'
    },
    focusFilter: {
      key: 'ctrl+shift+f',
      description: '跳到过滤器列表的第一个过滤器'
    },
    focusList: {
      key: 'ctrl+alt+l',
      description: '跳到任务列表的第一个任务'
    },
    focusForm: {
      key: 'ctrl+alt+f',
      description: '跳到任务表单的第一个输入框'
    },
    startProcess: {
      key: 'ctrl+alt+p',
      description: '打开“发起流程”对话框'
    }
  }
};
