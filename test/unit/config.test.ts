import { loadConfig } from '../../platform/config';

describe('when configuration is read from the environment', () => {
  it('then defaults serve the local stack', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/whistle',
      // the demo county keeps its dispatch desk open around the clock, as Shengzhou's
      DESK_HOURS: '24h',
    });
  });
  it('then a bad value is named', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ DESK_HOURS: 'nights' })).toThrow(/DESK_HOURS/);
  });
});
