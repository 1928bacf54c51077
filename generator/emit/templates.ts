// Handlebars templates, compiled once. Templates only print what the view model decided.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const cache = new Map<string, Handlebars.TemplateDelegate>();

export function templatePath(rel: string): URL {
  return new URL(`../../templates/${rel}`, import.meta.url);
}

export function render(rel: string, view: object): string {
  let t = cache.get(rel);
  if (!t) {
    t = Handlebars.compile(readFileSync(templatePath(rel), 'utf8'), { noEscape: true, strict: true });
    cache.set(rel, t);
  }
  return t(view);
}
