package dev.deploykit.dbinit;

/** What a run did to the read-only role. */
public enum RoleChange {
  /** No read-only role is configured. */
  NOT_CONFIGURED,
  /** The role did not exist and was created with its password and privileges. */
  CREATED,
  /** The role existed; its password, attributes or privileges were brought up to date. */
  UPDATED,
  /** The role existed and was already as configured. */
  UNCHANGED
}
