import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access.guard';
import { AdminController, WhoAmIController } from './admin.controller';
import { ApiTokenRecord, UserRecord } from './auth.entities';
import { AuthService } from './auth.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserRecord, ApiTokenRecord])],
  controllers: [AdminController, WhoAmIController],
  providers: [AuthService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AuthService],
})
export class AuthModule {}
