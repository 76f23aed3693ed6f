import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Access('public')
  async health() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
