import { Module, type DynamicModule } from '@nestjs/common';
import type { RegistryConfig } from './registry-config';

export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');

/** Makes the configuration validated at start available to every module. */
@Module({})
export class ConfigModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return { module: ConfigModule, global: true, providers: [{ provide: REGISTRY_CONFIG, useValue: config }], exports: [REGISTRY_CONFIG] };
  }
}
