// Compiled by CI (`make client`): proves the generated types describe the API as a
// frontend uses it. A renamed path, field or status breaks this compile.
import type { components, paths } from "./kcc-bff.js";

type KlantbeeldOperation = paths["/api/v1/klantbeeld"]["post"];
export type KlantbeeldRequest = NonNullable<
  KlantbeeldOperation["requestBody"]
>["content"]["application/json"];
export type Klantbeeld = KlantbeeldOperation["responses"][200]["content"]["application/json"];
export type Problem = components["schemas"]["Problem"];
export type Readiness = paths["/ready"]["get"]["responses"][200]["content"]["application/json"];

export const byBsn: KlantbeeldRequest = { bsn: "999993653", pageSize: 10 };

// @ts-expect-error a page size is a number, not text
export const wrongType: KlantbeeldRequest = { pageSize: "10" };

export function summary(klantbeeld: Klantbeeld): string {
  if (klantbeeld.nietGeregistreerd) {
    return "Niet geregistreerd in Klantinteracties";
  }
  const partij = klantbeeld.partij.status === "ok" ? "partij found" : "partij incomplete";
  return klantbeeld.geheimhouding ? `${partij}, geheimhouding` : partij;
}

export function problemText(problem: Problem): string {
  const fields = (problem.invalidParams ?? []).map((p) => p.name).join(", ");
  return fields ? `${problem.detail} (${fields})` : problem.detail;
}

export function upstreamsDown(readiness: Readiness): string[] {
  return Object.entries(readiness.upstreams)
    .filter(([, check]) => check.status !== "ok")
    .map(([name]) => name);
}
