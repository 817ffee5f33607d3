/**
 * The method reference of a vendor package's README, generated from its spec so the README can
 * never describe a method, an input or an error the package does not have. It replaces the text
 * between the two markers; everything else in the README is written by hand.
 */
import { literal } from "./emit.ts";
import type { OperationModel, VendorModel, WebhookSignatureModel } from "./model.ts";

export const START = "<!-- methods:start -->";
export const END = "<!-- methods:end -->";

const firstParagraph = (text: string) => text.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, " ").trim();

function method(model: VendorModel, op: OperationModel): string {
  const client = model.prefix[0]!.toLowerCase() + model.prefix.slice(1);
  const args = op.hasInput ? (op.example ? literal(op.example) : "{ /* … */ }") : "";
  const codes = (status: number) =>
    op.errorCodes
      .filter((c) => c.status === status)
      .map((c) => `${c.code}${c.type ? ` \`${c.type}\`` : ""}`)
      .join(", ");
  const errors = op.errorStatuses.map((s) => `${s.status}${codes(s.status) ? ` (${codes(s.status)})` : ""}`).join(", ");
  const lines = [
    `### \`${op.methodName}(${op.hasInput ? `input${op.inputRequired ? "" : "?"}, ` : ""}options?)\`${op.deprecated ? " (deprecated by the vendor)" : ""}`,
    "",
    `\`${op.method} ${op.path}\`, operationId \`${op.id}\`. ${firstParagraph(op.description) || op.summary}`,
    "",
    "```ts",
    `${op.returnsBody ? "const result = " : ""}await ${client}.${op.methodName}(${args});`,
    "```",
    "",
    `- Resolves to ${op.returnsBody ? `\`${op.typeName}Result\` (the ${op.successStatus} body${op.outcome ? `, \`${op.outcome.field}\` narrowed to ${op.outcome.success.map((s) => `\`${s}\``).join(" or ")}` : ""})` : `nothing (${op.successStatus})`}.`,
    op.costsMoney ? `- **Costs money.** Never sent twice by accident: retried only when the request provably never left.` : undefined,
    op.outcome
      ? `- Throws \`${op.typeName}OutcomeError\` when the ${op.successStatus} body's \`${op.outcome.field}\` is anything else${op.outcome.failures?.length ? ` (${op.outcome.failures.map((s) => `\`${s}\``).join(", ")})` : ""}.`
      : undefined,
    errors ? `- Throws \`${op.typeName}Error\` on HTTP ${errors}.` : undefined,
    op.clientFields.length ? `- ${op.clientFields.map((f) => `\`${f}\``).join(", ")} default${op.clientFields.length > 1 ? "" : "s"} to the client's \`${model.clientOptions.map((c) => c.option).join("`, `")}\`.` : undefined,
    op.pagination
      ? `- Paginated: \`${op.pagination.methodName}(${op.hasInput ? `input${op.inputRequired ? "" : "?"}, ` : ""}options?)\` is an async generator of every \`${op.typeName}Item\` of every page (\`for await (const item of ${client}.${op.pagination.methodName}(…))\`), one call per page with the \`${op.pagination.cursor}\` from \`${op.pagination.nextCursor}\`.`
      : undefined,
  ];
  return lines.filter((l) => l !== undefined).join("\n");
}

function signatureLine(signature: WebhookSignatureModel): string {
  const encodings = signature.encodings.map((e) => (e === "base64url" ? "base64url" : "standard base64")).join(" or ");
  return `- \`await ${signature.functionName}(rawBody, headers, publicKey)\`: checks the \`${signature.header}\` header (${signature.algorithm} with ${signature.hash}${signature.prefix ? `, \`${signature.prefix}…\`` : ""}; ${encodings}${signature.encodings.length > 1 ? ", both accepted" : ""}) against the raw body with WebCrypto, or throws a \`ValidationError\` saying what is wrong.`;
}

export function methodsSection(model: VendorModel): string {
  const rows = model.operations.map(
    (op) =>
      `| \`${op.methodName}\` | \`${op.method} ${op.path}\` | ${op.costsMoney ? "yes" : "no"} | ${op.idempotent ? "yes" : "no: only if the request provably never left"} |`,
  );
  return [
    START,
    `<!-- Generated from ${model.specFile} by scripts/generate (\`pnpm build\`); edit the spec, not this section. -->`,
    "",
    "| Method | Endpoint | Costs money | Retried after it may have reached the server |",
    "|---|---|---|---|",
    ...rows,
    "",
    ...model.operations.map((op) => method(model, op) + "\n"),
    ...(model.webhooks.length || model.webhookSignature
      ? [
          "### Webhooks",
          "",
          ...model.webhooks.map((w) => `- \`${w.functionName}(body)\`: checks a \`${w.key}\` webhook body (text, bytes or parsed JSON) against the spec and returns it as \`${w.typeName}\`, or throws a \`ValidationError\` listing every problem. ${firstParagraph(w.description)}`),
          ...(model.webhookSignature ? [signatureLine(model.webhookSignature)] : []),
          "",
        ]
      : []),
    END,
  ].join("\n");
}

/** The README with its method section replaced; undefined when it has no markers. */
export function withMethods(readme: string, model: VendorModel): string | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + methodsSection(model) + readme.slice(end + END.length);
}
