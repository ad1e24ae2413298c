/**
 * The api_key → the township account it was issued for. Open311 clients carry no bearer token;
 * the key stands in for it, so the same rules hold: the key enabled, its account known, enabled,
 * still a township account of the key's township. Read on every call (two lookups by `_id`), so a
 * disabled key or account is refused at once.
 */
import type { Actor } from '../../domain/identity';
import { accountMayAct, type Account } from '../../domain/organisation/schemas';
import type { ApiKeys } from '../../store/api-keys';
import type { ReferenceCollection } from '../../store/reference-collection';
import { forbidden } from './errors';

/** A township actor: its township is always known. */
export type TownshipActor = Actor & { role: 'township'; orgUnitId: string };

export class ApiKeyAuth {
  constructor(
    private readonly keys: ApiKeys,
    private readonly accounts: ReferenceCollection<Account>,
  ) {}

  /** The township actor behind the key, or a 403 saying what is wrong with it. */
  async actor(apiKey: unknown): Promise<TownshipActor> {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') throw forbidden('api_key was not provided / 缺少 api_key');
    if (apiKey.length > 200) throw forbidden('invalid api_key / api_key 无效');
    const key = await this.keys.lookup(apiKey);
    if (!key) throw forbidden('invalid api_key / api_key 无效');
    if (!key.enabled) throw forbidden('this api_key is disabled / api_key 已停用');
    const account = await this.accounts.get(key.accountId);
    if (!accountMayAct(account) || account.role !== 'township' || account.orgUnitId !== key.townshipId) {
      throw forbidden(
        `the township account behind this api_key is disabled or no longer matches it / 账号不存在或已停用`,
      );
    }
    // a whistle raised through Open311 records the module of the key's account, as one raised through the API
    return {
      accountId: account.id,
      role: 'township',
      orgUnitId: key.townshipId,
      ...(account.moduleKey ? { module: account.moduleKey } : {}),
    };
  }
}
