/**
 * The operations and webhooks of a document, each with the key that pairs it across versions and
 * the names reports give it.
 */
import { asArray, HTTP_METHODS, isObject, type Json, type JsonObject, type OpenApiDocument } from "../../lib/specs.ts";
import { canon } from "./core.ts";
import { resolve } from "./resolve.ts";

export interface OpInfo {
  kind: "operation" | "webhook";
  key: string;
  subject: string;
  /** "`VerifyPin`" or "webhook `otpUpdate`", for usage lists. */
  short: string;
  id: string;
  method: string;
  path: string;
  node: JsonObject;
  /** Raw parameter nodes (possibly `$ref`s), path-level then operation-level, deduplicated. */
  parameters: Json[];
}

/** Every operation (`paths`) and webhook (`webhooks`), in document order. */
export function walkOperations(doc: OpenApiDocument): OpInfo[] {
  const result: OpInfo[] = [];
  const walk = (items: Json | undefined, kind: OpInfo["kind"]) => {
    if (!isObject(items)) return;
    for (const [path, rawItem] of Object.entries(items)) {
      const item = resolve(doc, rawItem).node;
      if (!item) continue;
      for (const method of HTTP_METHODS) {
        const node = item[method];
        if (!isObject(node)) continue;
        const id = typeof node.operationId === "string" ? node.operationId : `${method.toUpperCase()} ${path}`;
        const params = new Map<string, Json>();
        for (const p of [...asArray(item.parameters), ...asArray(node.parameters)]) {
          const r = resolve(doc, p).node;
          params.set(r ? `${String(r.in)}:${String(r.name)}` : canon(p), p);
        }
        if (kind === "operation") {
          result.push({ kind, key: `op:${id}`, subject: `Operation \`${id}\``, short: `\`${id}\``, id, method, path, node, parameters: [...params.values()] });
        } else {
          const suffix = method === "post" ? "" : ` (${method.toUpperCase()})`;
          result.push({ kind, key: `webhook:${path}:${method}`, subject: `Webhook \`${path}\`${suffix}`, short: `webhook \`${path}\``, id: path, method, path, node, parameters: [...params.values()] });
        }
      }
    }
  };
  walk(doc.paths, "operation");
  walk(doc.webhooks, "webhook");
  return result;
}
