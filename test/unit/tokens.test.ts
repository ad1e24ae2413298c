import { SignJWT } from 'jose';
import { signToken, verifyToken } from '../../platform/tokens';
import { enforcement, supervisor } from '../support/fixtures';

const secret = 'unit-test-secret-that-is-long-enough!!';

describe('when a token is verified', () => {
  it('then a signed token gives back the actor, with or without an org unit', async () => {
    expect(await verifyToken(secret, await signToken(secret, enforcement))).toEqual(enforcement);
    expect(await verifyToken(secret, await signToken(secret, supervisor))).toEqual(supervisor);
  });

  it('then another secret, an expired token, an unknown role or a department without org is refused', async () => {
    await expect(
      verifyToken('another-secret-that-is-long-enough!!!', await signToken(secret, enforcement)),
    ).rejects.toThrow(/signature/);
    await expect(
      verifyToken(secret, await signToken(secret, enforcement, Math.floor(Date.now() / 1000) - 10)),
    ).rejects.toThrow(/exp/);
    const key = new TextEncoder().encode(secret);
    const forge = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer('whistle')
        .setExpirationTime('1h')
        .sign(key);
    await expect(verifyToken(secret, await forge({ role: 'mayor' }))).rejects.toThrow(/role/);
    await expect(verifyToken(secret, await forge({ role: 'department' }))).rejects.toThrow(/org/);
  });
});
