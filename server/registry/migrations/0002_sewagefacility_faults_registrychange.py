import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('collect', '0001_initial'),
        ('registry', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='sewagefacility',
            name='faults',
            field=models.JSONField(blank=True, default=list, help_text='最近一次巡查记录的故障类型和严重程度', verbose_name='最近巡查故障'),
        ),
        migrations.CreateModel(
            name='RegistryChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_type', models.CharField(choices=[('natural_village', '自然村'), ('facility', '处理设施'), ('water_body', '黑臭水体')], max_length=20, verbose_name='对象类型')),
                ('code', models.CharField(max_length=20, verbose_name='编码')),
                ('field', models.CharField(max_length=40, verbose_name='字段')),
                ('old_value', models.JSONField(blank=True, null=True, verbose_name='原值')),
                ('new_value', models.JSONField(blank=True, null=True, verbose_name='新值')),
                ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='变更时间')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='变更人')),
                ('submission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registry_changes', to='collect.submission', verbose_name='依据提交')),
            ],
            options={
                'verbose_name': '名录变更记录',
                'verbose_name_plural': '名录变更记录',
                'ordering': ['-changed_at', '-pk'],
                'indexes': [models.Index(fields=['object_type', 'code', 'field'], name='registry_change_object')],
            },
        ),
    ]
