/**
 * The document as a whole and its security: `info` and the OpenAPI version, `servers`, tags and
 * external docs, `x-otpkit-error-fields`, unknown top-level keys, the document's `security` and the
 * security schemes. Rows of ../README.md's "Operations, statuses, auth" table (security, servers)
 * and of the "SDK" table (`x-otpkit-error-fields`).
 */
import { asArray, isObject, type Json, type OpenApiDocument } from "../../lib/specs.ts";
import { code, componentsOf, emit, same, subjectLoc, type Ctx, type Loc } from "./core.ts";
import { compareDocs, compareOtherKeys } from "./common.ts";
import { resolve } from "./resolve.ts";

/** Keys compared by a rule of this module, or by ./operations.ts and ./exported-types.ts. */
const DOCUMENT_HANDLED = new Set(["openapi", "info", "servers", "tags", "externalDocs", "x-otpkit-disagreement", "jsonSchemaDialect", "x-otpkit-error-fields", "paths", "webhooks", "components", "security"]);

export function compareDocumentLevel(ctx: Ctx): void {
  const api = subjectLoc("API", "read");
  const oi = isObject(ctx.old.info) ? ctx.old.info : {};
  const ni = isObject(ctx.new.info) ? ctx.new.info : {};
  if (!same(oi.version, ni.version)) {
    emit(ctx, api, "patch", "docs", `vendor API version is now ${code(ni.version)} (was ${code(oi.version)})`, "documentation");
  }
  for (const key of new Set([...Object.keys(oi), ...Object.keys(ni)])) {
    if (key === "version" || same(oi[key], ni[key])) continue;
    emit(ctx, api, "patch", "docs", `${key === "x-otpkit-disagreement" ? "`x-otpkit-disagreement` note" : `info.${key}`} changed`, "documentation");
  }
  if (!same(ctx.old.openapi, ctx.new.openapi)) {
    emit(ctx, api, "patch", "docs", `OpenAPI version is now ${code(ctx.new.openapi)} (was ${code(ctx.old.openapi)})`, "documentation");
  }
  const serverUrls = (doc: OpenApiDocument): Json[] => asArray(doc.servers).map((s) => (isObject(s) && s.url !== undefined ? s.url : null));
  if (!same(serverUrls(ctx.old), serverUrls(ctx.new))) {
    const first = (doc: OpenApiDocument) => serverUrls(doc)[0];
    emit(ctx, api, "minor", "api", `default server is now ${code(first(ctx.new) ?? "none")} (was ${code(first(ctx.old) ?? "none")})`, "new default base URL");
  } else if (!same(ctx.old.servers, ctx.new.servers)) {
    emit(ctx, api, "patch", "docs", "server descriptions changed", "documentation");
  }
  for (const key of ["tags", "externalDocs", "x-otpkit-disagreement", "jsonSchemaDialect"]) {
    if (!same(ctx.old[key], ctx.new[key])) emit(ctx, api, "patch", "docs", `${key === "x-otpkit-disagreement" ? "`x-otpkit-disagreement` note" : `\`${key}\``} changed`, "documentation");
  }
  compareErrorFields(ctx, api);
  compareOtherKeys(ctx, api, ctx.old, ctx.new, DOCUMENT_HANDLED);
}

/** `x-otpkit-error-fields`: where the SDK reads an error's `code`, `type` and `message`. */
function compareErrorFields(ctx: Ctx, api: Loc): void {
  const o = isObject(ctx.old["x-otpkit-error-fields"]) ? ctx.old["x-otpkit-error-fields"] : {};
  const n = isObject(ctx.new["x-otpkit-error-fields"]) ? ctx.new["x-otpkit-error-fields"] : {};
  for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (same(o[key], n[key])) continue;
    const text = `error \`${key}\` is now read from ${code(n[key] ?? "nowhere")} (was ${code(o[key] ?? "nowhere")})`;
    if (key === "message") emit(ctx, api, "minor", "sdk", text, "SDK behaviour: error messages change");
    else emit(ctx, api, "major", "sdk", text, `SDK behaviour: \`error.${key}\` values change: breaking`);
  }
}

/** A `security` list as sorted, comparable keys: `apiKey`, `oauth[read,write] + apiKey`. */
export function requirementKeys(value: Json | undefined): string[] {
  return asArray(value)
    .map((req) =>
      isObject(req)
        ? Object.entries(req)
            .map(([name, scopes]) => (asArray(scopes).length ? `${name}[${asArray(scopes).map(String).sort().join(",")}]` : name))
            .sort()
            .join(" + ") || "(none)"
        : "?",
    )
    .sort();
}
export const showRequirements = (keys: string[]) => (keys.length ? keys.map((k) => `\`${k}\``).join(" or ") : "none");

const SCHEME_KEYS = ["type", "in", "name", "scheme", "bearerFormat", "flows", "openIdConnectUrl"];

/** The document's `security` and `components.securitySchemes`: any change of how auth works is major. */
export function compareSecurity(ctx: Ctx): void {
  const api = subjectLoc("API", "read");
  const o = requirementKeys(ctx.old.security);
  const n = requirementKeys(ctx.new.security);
  if (!same(o, n)) {
    emit(ctx, api, "major", "api", `authentication is now ${showRequirements(n)} (was ${showRequirements(o)})`, "auth changed: breaking");
  }
  const os = componentsOf(ctx.old, "securitySchemes");
  const ns = componentsOf(ctx.new, "securitySchemes");
  for (const name of new Set([...Object.keys(os), ...Object.keys(ns)])) {
    const loc = subjectLoc(`Security scheme \`${name}\``, "read");
    if (!(name in ns)) {
      emit(ctx, loc, "major", "api", "removed", "auth changed: breaking");
      continue;
    }
    if (!(name in os)) {
      emit(ctx, loc, "minor", "api", "added", "new security scheme");
      continue;
    }
    const a = resolve(ctx.old, os[name]).node ?? {};
    const b = resolve(ctx.new, ns[name]).node ?? {};
    for (const key of SCHEME_KEYS) {
      if (!same(a[key], b[key])) emit(ctx, loc, "major", "api", `\`${key}\` is now ${code(b[key] ?? "unset")} (was ${code(a[key] ?? "unset")})`, "auth changed: breaking");
    }
    compareDocs(ctx, loc, a, b, ["description"]);
    compareOtherKeys(ctx, loc, a, b, new Set([...SCHEME_KEYS, "description"]));
  }
}
