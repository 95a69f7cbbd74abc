/** The demo's own user store: a JSON file with scrypt-hashed passwords (your app has a real one). */
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface User {
  uid: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string; // salt:hash, hex
}

export class UserStore {
  #users: User[] = [];
  readonly #file: string;

  private constructor(dir: string) {
    this.#file = join(dir, 'users.json');
  }

  static async open(dir: string): Promise<UserStore> {
    const store = new UserStore(dir);
    await mkdir(dir, { recursive: true });
    try {
      store.#users = JSON.parse(await readFile(store.#file, 'utf8')) as User[];
    } catch {
      store.#users = [];
    }
    return store;
  }

  findByEmail(email: string): User | undefined {
    return this.#users.find((u) => u.email === email.trim().toLowerCase());
  }

  findByUid(uid: string): User | undefined {
    return this.#users.find((u) => u.uid === uid);
  }

  async create(input: { email: string; password: string; firstName: string; lastName: string }): Promise<User> {
    const salt = randomBytes(16);
    const hash = await scrypt(input.password, salt, 32);
    const user: User = {
      uid: `user_${randomUUID().slice(0, 8)}`,
      email: input.email.trim().toLowerCase(),
      firstName: input.firstName,
      lastName: input.lastName,
      passwordHash: `${salt.toString('hex')}:${hash.toString('hex')}`,
    };
    this.#users.push(user);
    await writeFile(this.#file, JSON.stringify(this.#users, null, 2));
    return user;
  }

  async checkPassword(user: User, password: string): Promise<boolean> {
    const [salt, hash] = user.passwordHash.split(':');
    if (!salt || !hash) return false;
    const computed = await scrypt(password, Buffer.from(salt, 'hex'), 32);
    return timingSafeEqual(computed, Buffer.from(hash, 'hex'));
  }
}
