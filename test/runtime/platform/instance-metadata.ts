import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { BridgeAddress } from './bridge-address.ts';
import type { PlatformService } from '../plan.ts';

const ADDRESS = '169.254.169.254';

/**
 * EC2's instance metadata service (IMDSv2), as far as the ec2 target's host
 * scripts use it: a session token (`PUT /latest/api/token`), then the
 * instance's region with that token. Served on the host side of the pods'
 * bridge, which pods reach through their default route, as containers on an
 * EC2 host reach the service one hop away. Requests without a valid token
 * get 401, as with `http_tokens = "required"`.
 */
export class InstanceMetadata implements PlatformService {
  private server: Server | undefined;
  private bridge: BridgeAddress | undefined;
  private readonly tokens = new Set<string>();

  constructor(
    private readonly region: string,
    /** The host's address on the pods' network: the bridge the service's address goes on. */
    private readonly hostAddress: string,
  ) {}

  async start(): Promise<void> {
    this.bridge = await BridgeAddress.add(this.hostAddress, ADDRESS);
    this.server = createServer((request, response) => {
      if (request.method === 'PUT' && request.url === '/latest/api/token') {
        // IMDSv2 wants the token's lifetime, 1 to 21600 s, and answers 400 without it.
        const ttl = Number(request.headers['x-aws-ec2-metadata-token-ttl-seconds']);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21_600) {
          response.writeHead(400).end();
          return;
        }
        const token = randomBytes(16).toString('hex');
        this.tokens.add(token);
        response.end(token);
        return;
      }
      if (!this.tokens.has(String(request.headers['x-aws-ec2-metadata-token'] ?? ''))) {
        response.writeHead(401).end();
        return;
      }
      if (request.method === 'GET' && request.url === '/latest/meta-data/placement/region') response.end(this.region);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(80, ADDRESS, resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    await this.bridge?.remove();
  }
}
