import os
import tempfile

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sitegroup.publishing import nginx, targets


class Command(BaseCommand):
    help = ("生成提供静态发布目录的 nginx 配置：每个站点一个公网 server（有文件直接返回，"
            "否则交给应用），另有一个内网 server 转发全部请求（含后台）。"
            "默认只输出 http {} 内的部分（放入 /etc/nginx/conf.d/），--standalone 输出完整的 nginx.conf。")

    def add_arguments(self, parser):
        defaults = dict(getattr(settings, "STATIC_PUBLISH_NGINX", {}) or {})
        parser.add_argument("--root", help="静态发布目录（默认：STATIC_PUBLISH_TARGETS 中第一个本地目录）")
        parser.add_argument("--listen", default=defaults.get("listen", "80"), help="公网监听地址")
        parser.add_argument("--internal-listen", default=defaults.get("internal_listen", "127.0.0.1:8081"),
                            help="内网监听地址（含后台）")
        parser.add_argument("--upstream", default=defaults.get("upstream", "127.0.0.1:8000"), help="应用的地址")
        parser.add_argument("--standalone", action="store_true", help="输出完整的 nginx.conf（可直接 nginx -c 使用）")
        parser.add_argument("--pid", help="--standalone 时的 pid 文件（默认 /run/nginx.pid）")
        parser.add_argument("--error-log", help="--standalone 时的错误日志（默认 /var/log/nginx/error.log，可为 stderr）")
        parser.add_argument("--temp-dir", help="--standalone 时的临时文件目录（默认 /var/lib/nginx）")
        parser.add_argument("--output", help="写入该文件（默认输出到标准输出）")

    def handle(self, *args, **options):
        root = options["root"] or targets.local_root()
        if not root:
            raise CommandError("没有本地目录形式的静态发布目标（STATIC_PUBLISH_TARGETS），请用 --root 指定 nginx 提供的目录。")
        try:
            config = nginx.render_config(
                root=root, listen=options["listen"], internal_listen=options["internal_listen"],
                upstream=options["upstream"], standalone=options["standalone"], pid=options["pid"],
                error_log=options["error_log"], temp_dir=options["temp_dir"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for hostname in config.skipped:
            self.stderr.write(f"警告：站点域名 {hostname!r} 不是有效的域名，已跳过，未生成对应的 server。")
        if options["output"]:
            _write(options["output"], str(config))
            self.stdout.write(f"已写入 {options['output']}。")
        else:
            self.stdout.write(str(config), ending="")


def _write(path, text):
    """Replace the file whole, so a reload never reads half of it."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".nginx-config-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
