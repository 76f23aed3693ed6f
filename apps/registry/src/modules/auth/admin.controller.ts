import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Caller } from './access.decorator';
import { ROLES, SCOPES } from './auth.entities';
import { AuthService } from './auth.service';
import type { Principal } from './principal';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin')
@Access('admin')
export class AdminController {
  constructor(private readonly auth: AuthService) {}

  @Post('users')
  @ApiOperation({ summary: 'Create a user' })
  @ApiBody({ schema: { type: 'object', required: ['username', 'role'], properties: { username: { type: 'string' }, role: { enum: [...ROLES] }, password: { type: 'string', minLength: 12 } } } })
  createUser(@Body() body: Record<string, unknown>) {
    return this.auth.createUser({ username: body['username'], role: body['role'], password: body['password'] });
  }

  @Get('users')
  @ApiOperation({ summary: 'List users' })
  listUsers() {
    return this.auth.listUsers();
  }

  @Post('tokens')
  @ApiOperation({ summary: 'Create an API token; its secret is in this response only' })
  @ApiBody({ schema: { type: 'object', required: ['name', 'scopes'], properties: { name: { type: 'string' }, scopes: { type: 'array', items: { enum: [...SCOPES] } }, username: { type: 'string', description: 'the user the token acts for (default: the caller)' } } } })
  createToken(@Body() body: Record<string, unknown>, @Caller() caller: Principal) {
    return this.auth.createToken({ name: body['name'], scopes: body['scopes'], username: body['username'] }, caller);
  }

  @Get('tokens')
  @ApiOperation({ summary: 'List API tokens (never their secrets)' })
  listTokens() {
    return this.auth.listTokens();
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API token' })
  revokeToken(@Param('id') id: string) {
    return this.auth.revokeToken(id);
  }
}

@ApiTags('admin')
@Controller('api/auth')
export class WhoAmIController {
  @Get('whoami')
  @Access('read')
  @ApiOperation({ summary: 'The authenticated caller, if any' })
  whoami(@Caller() caller: Principal) {
    return { username: caller.username, role: caller.role, scopes: caller.scopes, via: caller.via };
  }
}
