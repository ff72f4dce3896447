// The approval chain: each step's role, who approved or rejected it, and who is awaited.
import { Steps, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { companyTime } from "../../format";
import { chainSteps, type Borrowing, type StepState } from "./logic";

const SHOWN: Record<StepState, "finish" | "error" | "process" | "wait"> = {
  approved: "finish",
  rejected: "error",
  awaited: "process",
  later: "wait",
  unreached: "wait",
};

export function Chain({ borrowing }: { borrowing: Borrowing }) {
  const { t } = useTranslation();
  const steps = chainSteps(borrowing);
  const said = (state: StepState, names: string[]): string => {
    if (state === "approved") return t("borrowings.chain.approved", { name: names[0] });
    if (state === "rejected") return t("borrowings.chain.rejected", { name: names[0] });
    if (state === "awaited") {
      return names.length ? t("borrowings.chain.awaited", { names: names.join("、") }) : t("borrowings.chain.nobody");
    }
    return state === "later" ? t("borrowings.chain.later") : "";
  };
  return (
    <Steps
      orientation="vertical"
      size="small"
      aria-label={t("borrowings.chain.title")}
      items={steps.map((step) => ({
        status: SHOWN[step.state],
        title: (
          <span>
            {t(`role.${step.role}`)}
            {step.round > 1 && (
              <Typography.Text type="secondary">
                {" · "}
                {t("borrowings.chain.extensionRound", { round: step.round })}
              </Typography.Text>
            )}
          </span>
        ),
        content: (
          <span className={`bw-chain-${step.state}`}>
            {said(step.state, step.names)}
            {step.at && ` · ${companyTime(step.at)}`}
            {step.reason && ` · ${step.reason}`}
          </span>
        ),
      }))}
    />
  );
}
