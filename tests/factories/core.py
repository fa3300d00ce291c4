"""Users, the one model of Django's own the tests build, in the product's roles."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "factory-password-123"


def _add_groups(user, names) -> None:
    for group in names:
        if isinstance(group, str):
            # The roles' groups exist after migrate (core.roles); any other name is made here.
            group, _ = Group.objects.get_or_create(name=group)
        user.groups.add(group)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the password `PASSWORD`. `role` takes one of core.roles' names, `groups` a
    list of role names or Group objects: `UserFactory(role=roles.OFFICER)`."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            _add_groups(self, [extracted])

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            _add_groups(self, extracted)
