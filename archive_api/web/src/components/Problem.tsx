// A refusal or failure of the API, said in the user's language (never the English detail).
import { Alert } from "antd";
import { errorMessage } from "../i18n";

export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" title={errorMessage(error)} />;
}
