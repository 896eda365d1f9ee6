/**
 * Fills `{{field}}` / `{{a.b.0.c}}` placeholders from a JSON body. Missing values become empty; objects and
 * arrays become JSON. Example: `renderTemplate("New issue: {{issue.title}}", body)`.
 */
export function renderTemplate(template: string, data: unknown): string {
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, path: string) => {
    let value: unknown = data;
    for (const key of path.split(".")) {
      if (value === null || typeof value !== "object") {
        value = undefined;
        break;
      }
      value = (value as Record<string, unknown>)[key];
    }
    if (value === undefined || value === null) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}
