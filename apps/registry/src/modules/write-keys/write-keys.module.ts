import { Module } from '@nestjs/common';
import { WriteKeysController } from './write-keys.controller';
import { WriteKeysService } from './write-keys.service';

@Module({ controllers: [WriteKeysController], providers: [WriteKeysService] })
export class WriteKeysModule {}
