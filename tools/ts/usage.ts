// What a TypeScript user of openapi/moco.yaml writes against the types that openapi-typescript
// generates (`npx openapi-typescript openapi/moco.yaml -o moco.d.ts`). CI compiles this file with
// `tsc --noEmit --strict` (tools/check_generators.sh): if the spec stops reading as intended
// (a nullable reference that is no longer nullable, an open enum that turned closed, a required
// request field gone), the `@ts-expect-error` lines or the narrowing below stop compiling.
import type { components, operations, paths } from "moco-api";

type Schemas = components["schemas"];
type Project = Schemas["Project"];
type UserRef = Schemas["UserRef"];

// GET /projects: the query, the page of projects and its pagination headers.
type ListProjects = operations["list_projects"];
type ListProjectsQuery = NonNullable<ListProjects["parameters"]["query"]>;
type ListProjectsOk = ListProjects["responses"][200];
type ProjectPage = ListProjectsOk["content"]["application/json"];
type ProjectPageHeaders = ListProjectsOk["headers"];

// The same operation reached through `paths`, as openapi-fetch and similar clients do.
type ViaPaths = paths["/projects"]["get"]["responses"][200]["content"]["application/json"];
const samePage: ProjectPage extends ViaPaths ? true : false = true;

export const query: ListProjectsQuery = {
  page: 2,
  per_page: 200,
  company_id: [1233434, 42],
  include_archived: false,
  sort_by: "title desc",
};

// A nullable reference is the object, null, or `{}` (how MOCO's servers send an absent one; see
// openapi/CONVENTIONS.md): narrowed on its required `id` before use.
function isUser(ref: UserRef | Record<string, never> | null | undefined): ref is UserRef {
  return ref !== null && ref !== undefined && typeof (ref as Partial<UserRef>).id === "number";
}

// Decimals arrive as a JSON number or a numeric string: both are read.
function amount(value: Project["budget"]): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
// @ts-expect-error a decimal may be a string, so it is no number without a conversion
export const unconverted: number = ({} as Project).budget ?? 0;

function fullName(user: UserRef): string {
  return [user.firstname, user.lastname].filter((part): part is string => typeof part === "string").join(" ");
}

// Response enums are open: the known values, any other string (a value MOCO adds later), or null.
function rateSource(variant: Project["billing_variant"]): string {
  switch (variant) {
    case "project":
      return "the project's hourly rate";
    case "task":
      return "the tasks' hourly rates";
    case "user":
      return "the staff members' hourly rates";
    case null:
    case undefined:
      return "not set";
    default:
      return `unknown to this client: ${variant}`;
  }
}
export const laterValue: Project["billing_variant"] = "retainer_flat";

// Custom field values: any scalar, null or a list, per field.
function customFieldText(project: Project, field: string): string {
  const value = project.custom_properties?.[field];
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => String(v ?? "")).join(", ");
  return String(value);
}

export function describe(page: ProjectPage, headers: ProjectPageHeaders): string[] {
  const lines = page.map((project: Project) => {
    // co_leader is a nullable reference: checked before use (see nullableReference below).
    const coLeader = isUser(project.co_leader) ? fullName(project.co_leader) : "no co-leader";
    const leader = isUser(project.leader) ? fullName(project.leader) : "no leader";
    const budget = amount(project.budget)?.toFixed(2) ?? "no budget";
    const start: string = project.start_date ?? "open start";
    const sector = customFieldText(project, "Sector");
    return `${project.identifier ?? "-"} ${project.name}: ${leader} / ${coLeader}, ${budget}, ${rateSource(project.billing_variant)}, from ${start} ${sector}`;
  });
  const pageNumber: number = headers["X-Page"];
  const total: number = headers["X-Total"];
  lines.push(`page ${pageNumber}, ${total} projects in all${samePage ? "" : "?"}`);
  return lines;
}

// Compile-time only: a nullable reference cannot be used unchecked.
export function nullableReference(project: Project): number | undefined {
  // @ts-expect-error co_leader may be null or absent
  const unchecked: number = project.co_leader.id;
  void unchecked;
  return isUser(project.co_leader) ? project.co_leader.id : undefined;
}

// Request bodies are strict: required fields are required, request enums are closed.
type ProjectCreate = operations["create_project"]["requestBody"]["content"]["application/json"];
export const create: ProjectCreate = {
  name: "Website Relaunch",
  currency: "EUR",
  leader_id: 1234,
  customer_id: 5678,
  billing_variant: "task",
  tags: ["Print", "Digital"],
};
// @ts-expect-error name, currency, leader_id and customer_id are required
export const incomplete: ProjectCreate = { name: "Website Relaunch" };
// @ts-expect-error a request enum accepts only the documented values
export const unknownVariant: ProjectCreate["billing_variant"] = "retainer_flat";
