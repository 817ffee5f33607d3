/**
 * Finds the operation a request is for, by method and path, as Prism does: the origin is ignored,
 * and so is the server URL's path (`/v1`) when the request has it, so a client pointed at the real
 * base URL and one pointed at a Prism-style origin both reach the same operation.
 */
import type { MockOperationSpec, MockSpec } from "./types.js";

export interface Route {
  readonly id: string;
  readonly spec: MockOperationSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal segments first: `/authentication/feedback` wins over `/authentication/{auth_uuid}`. */
  readonly params: number;
}

export type Match =
  | { readonly kind: "operation"; readonly route: Route; readonly path: Record<string, string> }
  /** The path exists but not with this method: the routes that have it. */
  | { readonly kind: "method"; readonly routes: readonly Route[] }
  | { readonly kind: "none" };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function compileRoutes(spec: MockSpec): Route[] {
  const routes = Object.entries(spec.operations).map(([id, operation]): Route => {
    const names: string[] = [];
    const source = operation.operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => (/^\{.+\}$/.test(part) ? (names.push(part.slice(1, -1)), "([^/]+)") : escape(part)))
      .join("");
    return { id, spec: operation, pattern: RegExp(`^${source}/?$`), names, params: names.length };
  });
  return routes.sort((a, b) => a.params - b.params);
}

/** The request's path relative to the API: the base URL's path is dropped when present. */
export function relativePath(url: URL, baseUrl: string): string {
  const base = new URL(baseUrl).pathname.replace(/\/$/, "");
  return base && url.pathname.startsWith(base + "/") ? url.pathname.slice(base.length) : url.pathname;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const onPath: Route[] = [];
  for (const route of routes) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    if (route.spec.operation.method !== method) {
      onPath.push(route);
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = safeDecode(found[i + 1]!)));
    return { kind: "operation", route, path: params };
  }
  return onPath.length ? { kind: "method", routes: onPath } : { kind: "none" };
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
