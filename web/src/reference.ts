/** The county's reference data the pages name things by: townships (with grids), departments, matters. Read once per sign-in. */
import { reactive } from 'vue';
import { get } from './api';
import { nameOf } from './i18n';

export interface Name {
  zh: string;
  en: string;
}
export interface Township {
  id: string;
  name: Name;
  grids?: { id: string; name: Name }[];
  modules?: { key: string; name: Name }[];
}
export interface Department {
  id: string;
  name: Name;
}
export interface Matter {
  code: string;
  name: Name;
  category: string;
  leadDepartmentId: string;
  cooperatingDepartmentIds: string[];
}

export const reference = reactive({
  townships: [] as Township[],
  departments: [] as Department[],
  matters: [] as Matter[],
  loaded: false,
});

export async function loadReference(): Promise<void> {
  if (reference.loaded) return;
  const [townships, departments, matters] = await Promise.all([
    get<{ items: Township[] }>('/townships'),
    get<{ items: Department[] }>('/departments'),
    get<{ items: Matter[] }>('/matters'),
  ]);
  reference.townships = townships.items;
  reference.departments = departments.items;
  reference.matters = matters.items;
  reference.loaded = true;
}

export function forgetReference(): void {
  reference.loaded = false;
}

/** The name of a township, department, township module (`tw/module`) or county office id. */
export function unitName(id: string | undefined): string {
  if (!id) return '';
  const [unit, module] = id.split('/');
  const township = reference.townships.find((t) => t.id === unit);
  if (township) {
    const mod = module ? township.modules?.find((m) => m.key === module) : undefined;
    return mod ? `${nameOf(township.name)} · ${nameOf(mod.name)}` : nameOf(township.name);
  }
  const department = reference.departments.find((d) => d.id === id);
  return department ? nameOf(department.name) : id;
}

export function gridName(townshipId: string, gridId: string | undefined): string {
  const grid = reference.townships.find((t) => t.id === townshipId)?.grids?.find((g) => g.id === gridId);
  return grid ? nameOf(grid.name) : (gridId ?? '');
}

export function matterName(code: string | undefined): string {
  const matter = reference.matters.find((m) => m.code === code);
  return matter ? `${matter.code} ${nameOf(matter.name)}` : (code ?? '');
}
