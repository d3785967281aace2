from .imports import h5p_activity_create, h5p_activity_import, h5p_package_import

__all__ = ["h5p_activity_create", "h5p_activity_import", "h5p_package_import"]
