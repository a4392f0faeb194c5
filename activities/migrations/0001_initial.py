import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _content_type_follows(app_from, app_to):
    def move(apps, schema_editor):
        # The rows of auth_permission and django_admin_log point at the content type: renaming
        # it keeps every permission granted on activities and the admin's history of them.
        content_type = apps.get_model("contenttypes", "ContentType")
        content_type.objects.filter(app_label=app_from, model="activity").update(app_label=app_to)

    return move


class Migration(migrations.Migration):
    """Activity comes from the core app (crm.0014) with its table, crm_activity, which keeps
    its name, indexes and rows: only the migration state learns of the model here."""

    initial = True

    dependencies = [
        ('crm', '0014_activity_moves_to_activities'),
        ('leads', '0007_report_period_indexes'),
        ('opportunities', '0009_owner_in_history'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('kind', models.CharField(choices=[('call', 'Call'), ('meeting', 'Meeting'), ('email', 'Email'), ('task', 'Task'), ('note', 'Note')], default='task', max_length=10, verbose_name='kind')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                        ('due_time', models.TimeField(blank=True, null=True, verbose_name='due time')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                        ('outcome', models.CharField(blank=True, max_length=200, verbose_name='outcome')),
                        ('company', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='crm.company')),
                        ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='crm.contact')),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by')),
                        ('lead', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='leads.lead')),
                        ('opportunity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='opportunities.opportunity')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='crm.team', verbose_name='team')),
                    ],
                    options={
                        'verbose_name': 'activity',
                        'verbose_name_plural': 'activities',
                        'db_table': 'crm_activity',
                        'ordering': ['due_date', 'due_time', 'pk'],
                        'indexes': [models.Index(fields=['owner', 'done_at', 'due_date'], name='activity_owner_due_idx'), models.Index(fields=['opportunity', 'done_at', 'due_date'], name='activity_opp_idx'), models.Index(fields=['lead', 'created_at'], name='activity_lead_idx'), models.Index(condition=models.Q(('done_at__isnull', True), models.Q(('kind', 'note'), _negated=True)), fields=['owner', 'due_date', 'due_time', 'id'], name='activity_pending_owner_idx'), models.Index(condition=models.Q(('done_at__isnull', True), ('opportunity__isnull', False), models.Q(('kind', 'note'), _negated=True)), fields=['opportunity', 'due_date', 'due_time', 'id'], name='activity_pending_opp_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('lead__isnull', False), ('opportunity__isnull', True), ('contact__isnull', True), ('company__isnull', True)), models.Q(('opportunity__isnull', False), ('lead__isnull', True), ('contact__isnull', True), ('company__isnull', True)), models.Q(('contact__isnull', False), ('lead__isnull', True), ('opportunity__isnull', True), ('company__isnull', True)), models.Q(('company__isnull', False), ('lead__isnull', True), ('opportunity__isnull', True), ('contact__isnull', True)), _connector='OR'), name='activity_one_subject')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _content_type_follows("crm", "activities"),
            _content_type_follows("activities", "crm"),
            elidable=False,
        ),
    ]
