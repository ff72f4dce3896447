// Words of a customer file's upkeep deadlines (期限) and of the desk's list of my own.
export const zh = {
  title: "期限提醒",
  mine: "我的期限",
  none: "暂无到期事项",
  what: "事项",
  due: "期限",
  state: "情况",
  notices: "提醒次数",
  reference: "编号",
  overdue: "已逾期",
  upcoming: "即将到期",
  dueOn: "{{day}} 前",
  kind: {
    license_expiry: "营业执照到期",
    statement_due: "年度财务报表待交",
    review_due: "信用复审到期",
  },
  withYear: "{{what}}（{{year}} 年度）",
  explain: "每日核查：营业执照到期前 30 天、年度财务报表应交日期、按信用等级的复审日期；逾期未办结的每周再次提醒保管人和部门负责人。",
};

export const en: typeof zh = {
  title: "Deadlines",
  mine: "My deadlines",
  none: "Nothing coming due",
  what: "What",
  due: "Due",
  state: "State",
  notices: "Reminders",
  reference: "Ref.",
  overdue: "Overdue",
  upcoming: "Coming due",
  dueOn: "by {{day}}",
  kind: {
    license_expiry: "Business license expires",
    statement_due: "Annual statements due",
    review_due: "Credit re-review due",
  },
  withYear: "{{what}} ({{year}})",
  explain: "Checked daily: a business license 30 days before it expires, the annual statements by their due date, the re-review by credit grade; the custodian and department head are reminded weekly while overdue.",
};
