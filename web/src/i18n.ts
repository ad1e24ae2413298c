/**
 * Chinese first, English on request: every label in both languages in one table; the choice is
 * remembered in localStorage and set on <html lang> for screen readers.
 */
import { ref, watchEffect } from 'vue';

export type Lang = 'zh' | 'en';
const KEY = 'whistle.lang';

export const lang = ref<Lang>(localStorage.getItem(KEY) === 'en' ? 'en' : 'zh');
watchEffect(() => {
  localStorage.setItem(KEY, lang.value);
  document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en';
});

const MESSAGES = {
  app: ['吹哨报到 · 工作台', 'Whistle / report for duty · dashboard'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['Switch to English', '切换到中文'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  token: ['令牌 (Bearer token)', 'Token (Bearer)'],
  tokenHelp: [
    '粘贴发给您的令牌；演示县的令牌用 npm run token 生成，见 README “The demo county”。令牌只保存在本标签页。',
    'Paste the token you were given; the demo county’s come from npm run token (README, “The demo county”). It stays in this tab only.',
  ],
  tokenBad: ['这不是有效的令牌', 'This is not a valid token'],
  signedInAs: ['当前身份', 'Signed in as'],
  nav: ['主导航', 'Main navigation'],
  supervisor: ['督查', 'Supervision'],
  raise: ['吹哨', 'Raise a whistle'],
  myQueue: ['待办', 'My queue'],
  desk: ['调度台', 'Dispatch desk'],
  cases: ['案件', 'Cases'],
  overdueNow: ['当前超期', 'Overdue now'],
  live: ['实时推送', 'live stream'],
  polling: ['每 3 秒刷新', 'refreshed every 3 s'],
  noneOverdue: ['没有超期事项', 'Nothing is overdue'],
  late: ['超期方', 'Late'],
  clock: ['时限', 'Clock'],
  deadline: ['截止', 'Deadline'],
  lateBy: ['超期', 'Late by'],
  rung: ['督办层级', 'Escalation rung'],
  case: ['案件', 'Case'],
  title: ['标题', 'Title'],
  township: ['乡镇', 'Township'],
  overdueByParty: ['超期分布（按责任单位）', 'Overdue by party'],
  rankings: ['月度排名', 'Monthly rankings'],
  month: ['月份', 'Month'],
  departments: ['部门', 'Departments'],
  townships: ['乡镇', 'Townships'],
  statistics: ['统计', 'Statistics'],
  trendByWeek: ['按周趋势', 'Trend by week'],
  byMatter: ['按事项', 'By matter'],
  byTownship: ['乡镇吹哨与办结', 'Whistles raised and resolved by township'],
  openByTownship: ['在办案件（按乡镇、网格）', 'Open cases by township and grid'],
  topOf: ['显示前', 'Showing the top'],
  rankingNote: [
    '综合得分 = 40% 响应率 + 30% 解决率 + 30% 满意率；本月案件少于 3 件不排名；“较差”等次标红督办。',
    'Score = 40% response rate + 30% resolution rate + 30% satisfaction; fewer than 3 cases in the month: not ranked; the poor tier is flagged.',
  ],
  notAvailable: ['此统计尚未提供（接口未上线）', 'Not available yet (the endpoint is not deployed)'],
  queues: ['待办队列', 'Queues'],
  queueDuties: ['部门待办', 'Duties'],
  queueDesk: ['调度台待分流', 'At the desk'],
  queueSupervision: ['待裁决 / 待审批', 'Rulings and approvals'],
  waitingFor: ['等待', 'Waiting for'],
  empty: ['暂无', 'Nothing here'],
  exports: ['导出 (CSV)', 'Exports (CSV)'],
  exportCases: ['案件清单', 'Case list'],
  exportOverdue: ['超期清单', 'Overdue list'],
  exportHistory: ['本案审计记录', 'This case’s audit history'],
  loading: ['加载中…', 'Loading…'],
  open: ['打开', 'Open'],
  timeline: ['办理时间线', 'Timeline'],
  clocks: ['时限倒计时', 'Clocks'],
  remaining: ['剩余', 'left'],
  overdue: ['已超期', 'overdue'],
  met: ['已完成', 'met'],
  paused: ['已挂起', 'paused'],
  assignees: ['承办单位', 'Assignees'],
  actions: ['可办理的操作', 'What you may do'],
  noActions: ['您当前在本案无可办理的操作', 'Nothing for you to do on this case now'],
  submit: ['提交', 'Submit'],
  cancel: ['取消', 'Cancel'],
  done: ['已办理', 'Done'],
  evidence: ['证据', 'Evidence'],
  hash: ['哈希 (SHA-256)', 'Hash (SHA-256)'],
  status: ['状态', 'Status'],
  urgency: ['紧急程度', 'Urgency'],
  urgent: ['紧急', 'urgent'],
  normal: ['一般', 'normal'],
  description: ['情况描述', 'Description'],
  matter: ['事项（责任清单）', 'Matter (responsibility list)'],
  matterSearch: ['搜索事项名称或编码', 'Search the matters by name or code'],
  matterUnknown: ['不清楚（交调度台分流）', 'Not sure (the dispatch desk routes it)'],
  grid: ['网格', 'Grid'],
  address: ['地址', 'Address'],
  evidenceFile: ['证据文件（计算哈希，文件不上传）', 'Evidence file (hashed here, not uploaded)'],
  evidenceUri: ['证据存放地址 (https://…)', 'Where the file is kept (https://…)'],
  evidenceKind: ['证据类型', 'Kind of evidence'],
  raised: ['已吹哨', 'Whistle raised'],
  department: ['部门', 'Department'],
  reason: ['理由', 'Reason'],
  note: ['说明', 'Note'],
  summary: ['办理结果', 'Result'],
  accept: ['验收通过', 'Accept'],
  sendBack: ['退回', 'Send back'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  decision: ['裁决', 'Decision'],
  uphold: ['异议成立（改派）', 'Uphold (reassign)'],
  reject: ['驳回异议', 'Reject'],
  reassignTo: ['改派部门', 'Reassign to'],
  suggested: ['建议部门（可选）', 'Suggested department (optional)'],
  approve: ['批准', 'Approve'],
  intoCase: ['合并到案件编号 (caseId)', 'Merge into case (caseId)'],
  steps: ['步骤 (JSON)', 'Steps (JSON)'],
  recurred: ['是否复发', 'Recurred'],
  speed: ['速度', 'Speed'],
  attitude: ['态度', 'Attitude'],
  result: ['结果', 'Result'],
  cooperation: ['乡镇配合度', 'Township’s cooperation'],
  step: ['步骤', 'Step'],
  raisedBy: ['吹哨方', 'Raised by'],
  raisedAt: ['吹哨时间', 'Raised at'],
  lead: ['牵头', 'lead'],
  cooperating: ['配合', 'co-operating'],
  backToList: ['返回', 'Back'],
  error: ['出错了', 'Something went wrong'],
  chainValid: ['审计链完整', 'Audit chain intact'],
  chainBroken: ['审计链异常，首个异常序号', 'Audit chain broken at seq'],
} as const;

export type MessageKey = keyof typeof MESSAGES;

/** The statistics' and rankings' figures, as the endpoints name them. */
const FIGURES: Record<string, [string, string]> = {
  called: ['被吹哨', 'called'],
  reportedOnTime: ['按时报到', 'reported on time'],
  reportRate: ['报到率', 'report rate'],
  onSiteOnTime: ['按时到场', 'on site on time'],
  'reportTime.p50Minutes': ['报到用时中位数（分）', 'time to report, median (min)'],
  'resolveTime.p90Minutes': ['办结用时 P90（分）', 'time to resolve, p90 (min)'],
  leadCases: ['牵头案件', 'lead cases'],
  resolved: ['办结', 'resolved'],
  resolutionRate: ['解决率', 'resolution rate'],
  acceptedFirstTime: ['一次验收通过', 'accepted first time'],
  sentBack: ['退回', 'sent back'],
  'satisfaction.result': ['满意度（结果）', 'satisfaction (result)'],
  'declines.raised': ['异议', 'declines'],
  'declines.upheld': ['异议成立', 'declines upheld'],
  suspensions: ['挂起', 'suspensions'],
  raised: ['吹哨', 'raised'],
  withdrawn: ['撤回', 'withdrawn'],
  merged: ['合并', 'merged'],
  'cooperation.rating': ['配合度', 'cooperation'],
  verifiedInTime: ['按时验收', 'verified in time'],
  used: ['使用次数', 'used'],
  'disputes.raised': ['争议', 'disputes'],
  reassignments: ['改派', 'reassignments'],
  cases: ['案件数', 'cases'],
  'open.open': ['在办', 'open'],
  'open.overdue': ['其中超期', 'of them overdue'],
  township: ['乡镇', 'township'],
  grid: ['网格', 'grid'],
  responseRate: ['响应率', 'response rate'],
  satisfaction: ['满意率（均分）', 'satisfaction (mean)'],
  score: ['综合得分', 'composite score'],
  rank: ['名次', 'rank'],
  tier: ['等次', 'tier'],
  'tier.good': ['好', 'good'],
  'tier.fair': ['较好', 'fairly good'],
  'tier.average': ['一般', 'average'],
  'tier.poor': ['较差（督办）', 'poor (flagged)'],
  unranked: ['未排名原因', 'not ranked because'],
};

/** Case and duty statuses, as the API names them. */
const STATUSES: Record<string, [string, string]> = {
  dispatching: ['待分流', 'at the desk'],
  reporting: ['待报到', 'reporting for duty'],
  in_progress: ['办理中', 'in progress'],
  awaiting_verification: ['待验收', 'awaiting verification'],
  evaluating: ['评议中', 'evaluating'],
  closed: ['已办结', 'closed'],
  withdrawn: ['已撤回', 'withdrawn'],
  merged: ['已合并', 'merged'],
  returned: ['已退回', 'returned'],
  called: ['已吹哨', 'called'],
  acknowledged: ['已报到', 'reported'],
  on_site: ['已到场', 'on site'],
  released: ['已改派', 'released'],
};

export function statusLabel(status: string): string {
  const pair = STATUSES[status];
  return pair ? pair[lang.value === 'zh' ? 0 : 1] : status.replace(/_/g, ' ');
}

export function figureLabel(key: string): string {
  const pair = FIGURES[key];
  return pair ? pair[lang.value === 'zh' ? 0 : 1] : key;
}

export function t(key: MessageKey): string {
  return MESSAGES[key][lang.value === 'zh' ? 0 : 1];
}

/** A bilingual name from the reference data ({ zh, en }). */
export function nameOf(name: { zh: string; en: string } | undefined, fallback = ''): string {
  return name ? name[lang.value] : fallback;
}

/** A duration for people: 1 h 05 min, 3 min 20 s; days past 48 hours. */
export function duration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const zh = lang.value === 'zh';
  if (d >= 2) return zh ? `${d} 天 ${h} 小时` : `${d} d ${h} h`;
  if (s >= 3600) return zh ? `${d * 24 + h} 小时 ${m} 分` : `${d * 24 + h} h ${String(m).padStart(2, '0')} min`;
  return zh ? `${m} 分 ${sec} 秒` : `${m} min ${String(sec).padStart(2, '0')} s`;
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang.value === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
}
