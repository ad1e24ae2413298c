/** The organisation's collections over one connection. */
import type { Connection } from 'mongoose';
import type { Account, Department, Township } from '../domain/organisation/schemas';
import { ReferenceCollection } from './reference-collection';

export interface Organisation {
  townships: ReferenceCollection<Township>;
  departments: ReferenceCollection<Department>;
  accounts: ReferenceCollection<Account>;
}

export function organisation(connection: Connection): Organisation {
  return {
    townships: new ReferenceCollection<Township>(connection, 'Township', 'townships'),
    departments: new ReferenceCollection<Department>(connection, 'Department', 'departments'),
    accounts: new ReferenceCollection<Account>(connection, 'Account', 'accounts'),
  };
}
