/**
 * The Open311 service discovery document (wiki.open311.org/Service_Discovery): one production
 * GeoReport v2 endpoint. Its changeset is the last change to the responsibility list, which is what
 * the services and their definitions are made of, so clients know when to refresh their cache.
 */
import type { Tree } from './format';

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

export function discovery(endpointUrl: string, changeset: string): Tree {
  return {
    changeset,
    contact: '县委编办（吹哨报到平台管理员）/ the county organisation office, administrator of the whistle service',
    key_service:
      'api_key 由县编办按乡镇签发，绑定一个乡镇账号 / an api_key is issued per township by the county administrator and bound to one township account',
    endpoints: [
      {
        specification: GEOREPORT_V2,
        url: endpointUrl,
        changeset,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  };
}
