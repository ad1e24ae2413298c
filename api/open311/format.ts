/**
 * GeoReport v2 bodies in both formats. JSON follows the spec's Spark convention: an XML list
 * (`<services><service>…`) is a JSON array, an empty element is null. One tree renders both ways,
 * so the two formats can never disagree.
 */
import type { Response } from 'express';
import { create } from 'xmlbuilder2';

export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

type XMLBuilder = ReturnType<typeof create>;

export type Tree = string | number | boolean | null | Tree[] | { [field: string]: Tree };

/** The element each list holds, as the spec writes them (services → service, …). */
const ITEM: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

export function toXml(root: string, body: Tree): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  append(doc, root, body);
  return doc.end({ prettyPrint: true });
}

function append(parent: XMLBuilder, name: string, value: Tree): void {
  const element = parent.ele(name);
  if (value === null || value === '') return; // <name/>: the spec's empty value
  if (Array.isArray(value)) {
    const item = ITEM[name];
    if (!item) throw new Error(`no XML item name for the list ${name}`);
    for (const v of value) append(element, item, v);
  } else if (typeof value === 'object') {
    for (const [field, v] of Object.entries(value)) append(element, field, v);
  } else {
    element.txt(String(value));
  }
}

export function send(res: Response, format: Format, status: number, root: string, body: Tree): void {
  res.status(status);
  if (format === 'json') {
    res.type('application/json; charset=utf-8').send(JSON.stringify(body));
  } else {
    res.type('text/xml; charset=utf-8').send(toXml(root, body));
  }
}

/** The format a path asks for; anything but `.json` gets the spec's required XML. */
export function formatOfPath(path: string): Format {
  return path.endsWith('.json') ? 'json' : 'xml';
}
