from django.core.files.storage import FileSystemStorage


class FlakyFileSystemStorage(FileSystemStorage):
    """A web node that can be taken down: every access to a location in ``down`` fails."""

    down: set = set()

    def _check(self):
        if str(self.location) in self.down:
            raise OSError(f"目标不可用：{self.location}")

    def path(self, name):
        self._check()
        return super().path(name)

    def listdir(self, path):
        self._check()
        return super().listdir(path)
