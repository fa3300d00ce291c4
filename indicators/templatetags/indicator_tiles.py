"""`{% indicator_tile tile %}`: a tile drawn by its one renderer, indicators.tiles."""

from django import template

from ..tiles import tile_html

register = template.Library()


@register.simple_tag
def indicator_tile(tile):
    return tile_html(tile)
